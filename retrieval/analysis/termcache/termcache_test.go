package termcache

import (
	"strings"
	"sync"
	"testing"
)

func TestCache(t *testing.T) {
	calls := 0
	var mu sync.Mutex
	c := New(2, func(s string) string {
		mu.Lock()
		calls++
		mu.Unlock()
		return strings.ToUpper(s)
	})
	tests := []struct {
		in, want  string
		wantCalls int
	}{
		{"a", "A", 1},
		{"a", "A", 1}, // remembered
		{"b", "B", 2},
		{"c", "C", 3}, // past max: computed, not remembered
		{"c", "C", 4},
		{"b", "B", 4},
	}
	for _, tt := range tests {
		if got := string(c.Get([]byte(tt.in))); got != tt.want || calls != tt.wantCalls {
			t.Errorf("Get(%q) = %q after %d calls, want %q after %d", tt.in, got, calls, tt.want, tt.wantCalls)
		}
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				c.Get([]byte("a"))
			}
		}()
	}
	wg.Wait()
}
