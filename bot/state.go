package bot

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/askdocs/askdocs/retrieval"
)

// maxStates bounds the answers kept for buttons; the oldest go first.
const maxStates = 2000

// stateIDBytes is the size of a state ID before hex encoding.
const stateIDBytes = 8

// answerState is what a reply's buttons need: the whole answer (all pages
// and passages), who asked, and in which language the reply was written.
type answerState struct {
	Question Question
	Answer   retrieval.Answer
	AskerID  string
	Lang     Lang
}

// stateCache keeps answer states in memory for a fixed time to live. Since
// the TTL is the same for all entries, insertion order is expiry order and
// a FIFO queue finds expired entries in O(1) amortized time.
type stateCache struct {
	ttl time.Duration
	max int

	mu    sync.Mutex
	items map[string]stateEntry
	queue []queued
}

type stateEntry struct {
	state   *answerState
	expires time.Time
}

type queued struct {
	id      string
	expires time.Time
}

func newStateCache(ttl time.Duration, max int) *stateCache {
	return &stateCache{ttl: ttl, max: max, items: map[string]stateEntry{}}
}

// put stores st at time now and returns its new random ID.
func (c *stateCache) put(now time.Time, st *answerState) (string, error) {
	id, err := newStateID()
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.purgeLocked(now)
	for len(c.items) >= c.max && len(c.queue) > 0 {
		delete(c.items, c.queue[0].id)
		c.queue = c.queue[1:]
	}
	exp := now.Add(c.ttl)
	c.items[id] = stateEntry{state: st, expires: exp}
	c.queue = append(c.queue, queued{id, exp})
	return id, nil
}

// get returns the state stored under id, unless it expired by now.
func (c *stateCache) get(now time.Time, id string) (*answerState, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[id]
	if !ok || !now.Before(e.expires) {
		return nil, false
	}
	return e.state, true
}

// len returns the number of stored states, expired ones included until
// the next put.
func (c *stateCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

func (c *stateCache) purgeLocked(now time.Time) {
	i := 0
	for i < len(c.queue) && !now.Before(c.queue[i].expires) {
		delete(c.items, c.queue[i].id)
		i++
	}
	if i > 0 {
		// Copy so the backing array does not grow forever.
		c.queue = append([]queued(nil), c.queue[i:]...)
	}
}

// newStateID returns a random ID: 16 lowercase hex digits.
func newStateID() (string, error) {
	b := make([]byte, stateIDBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// isStateID reports whether s has the form newStateID returns.
func isStateID(s string) bool {
	if len(s) != 2*stateIDBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
