// Package syncbuf is a bytes.Buffer safe for concurrent use, for tests
// that collect the logs of goroutines they do not control.
package syncbuf

import (
	"bytes"
	"sync"
)

// Buffer is a goroutine-safe io.Writer whose contents String returns.
// The zero value is ready to use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
