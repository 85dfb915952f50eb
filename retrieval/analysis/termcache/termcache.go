// Package termcache remembers what a token filter made of a term.
// Syllables repeat endlessly in a corpus, so a filter that rewrites terms
// (normalising tone marks, folding diacritics) does the work once per
// distinct syllable and a map lookup after that.
package termcache

import "sync"

// Cache maps terms to their rewritten form. It is safe for concurrent
// use: bleve analyses documents in parallel.
type Cache struct {
	mu  sync.RWMutex
	m   map[string][]byte
	max int
	f   func(string) string
}

// New returns a cache of f holding at most max terms; past that, terms
// are rewritten without being remembered, so junk input cannot grow it
// without bound.
func New(max int, f func(string) string) *Cache {
	return &Cache{m: map[string][]byte{}, max: max, f: f}
}

// Get returns f(term). The result is shared: callers must not modify it.
func (c *Cache) Get(term []byte) []byte {
	c.mu.RLock()
	v, ok := c.m[string(term)]
	c.mu.RUnlock()
	if ok {
		return v
	}
	v = []byte(c.f(string(term)))
	c.mu.Lock()
	if len(c.m) < c.max {
		c.m[string(term)] = v
	}
	c.mu.Unlock()
	return v
}
