package bot

import (
	"sync"
	"time"
)

// rateLimiter allows each user at most limit questions in any window
// (a sliding log of recent question times per user). Users idle for a
// whole window are forgotten, so memory is bounded by the users active in
// the last window.
type rateLimiter struct {
	limit  int
	window time.Duration

	mu        sync.Mutex
	users     map[string]*userLog
	lastSweep time.Time
}

type userLog struct {
	times    []time.Time // oldest first, at most limit
	notified bool        // the user was told about the limit already
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, users: map[string]*userLog{}}
}

// allow records a question by user at now if the limit allows it. If not,
// wait is how long until the user may ask again, and first is true the
// first time in a row the user is refused (so a flood gets one notice).
func (l *rateLimiter) allow(user string, now time.Time) (ok bool, wait time.Duration, first bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= l.window {
		l.sweepLocked(now)
	}
	u := l.users[user]
	if u == nil {
		u = &userLog{times: make([]time.Time, 0, l.limit)}
		l.users[user] = u
	}
	cutoff := now.Add(-l.window)
	i := 0
	for i < len(u.times) && !u.times[i].After(cutoff) {
		i++
	}
	u.times = append(u.times[:0], u.times[i:]...)
	if len(u.times) < l.limit {
		u.times = append(u.times, now)
		u.notified = false
		return true, 0, false
	}
	wait = u.times[0].Add(l.window).Sub(now)
	first = !u.notified
	u.notified = true
	return false, wait, first
}

// sweepLocked forgets users with no question in the window before now.
func (l *rateLimiter) sweepLocked(now time.Time) {
	cutoff := now.Add(-l.window)
	for id, u := range l.users {
		if len(u.times) == 0 || !u.times[len(u.times)-1].After(cutoff) {
			delete(l.users, id)
		}
	}
	l.lastSweep = now
}

// tracked returns the number of users remembered.
func (l *rateLimiter) tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.users)
}
