package retrieval

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestAnalyzeAll(t *testing.T) {
	long := strings.Repeat("hợp tác quốc phòng ", idChunk/4+10) // more ids than a chunk holds
	tests := []struct {
		name  string
		texts []string
	}{
		{"none", nil},
		{"one", []string{"Hợp tác quốc phòng."}},
		{"empty passage", []string{"một", "", "hai ba"}},
		{"past a chunk", []string{"đầu tiên", long, "sau cùng", long, "cuối"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := make([]Passage, len(tt.texts))
			for i, s := range tt.texts {
				ps[i].Text = s
			}
			got, err := newVocab().analyzeAll(context.Background(), ps)
			if err != nil {
				t.Fatal(err)
			}
			want := newVocab()
			if len(got) != len(ps) {
				t.Fatalf("%d passages, want %d", len(got), len(ps))
			}
			for i, s := range tt.texts {
				if w := want.analyzePassage(s); !slices.Equal(got[i], w) {
					t.Errorf("passage %d: ids %v, want %v", i, got[i][:min(8, len(got[i]))], w[:min(8, len(w))])
				}
				if cap(got[i]) != len(got[i]) {
					t.Errorf("passage %d: cap %d, len %d: appending would overwrite the next", i, cap(got[i]), len(got[i]))
				}
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newVocab().analyzeAll(ctx, []Passage{{Text: "a"}}); err == nil {
		t.Error("analyzeAll with a cancelled context: no error")
	}
}
