package bot

import (
	"fmt"
	"testing"
	"time"
)

func TestRateLimiterSlidingWindow(t *testing.T) {
	clk := newFakeClock()
	l := newRateLimiter(5, 30*time.Second)
	for i := 0; i < 5; i++ {
		if ok, _, _ := l.allow("u", clk.Now()); !ok {
			t.Fatalf("question %d refused", i+1)
		}
		clk.Advance(time.Second)
	}
	// t0+5s: the sixth question in the window is refused; the first
	// question (t0) leaves the window at t0+30s.
	ok, wait, first := l.allow("u", clk.Now())
	if ok || !first || wait != 25*time.Second {
		t.Fatalf("6th: ok=%v first=%v wait=%v; want refused, first notice, 25s", ok, first, wait)
	}
	ok, _, first = l.allow("u", clk.Now())
	if ok || first {
		t.Fatalf("7th: ok=%v first=%v; want refused without a second notice", ok, first)
	}
	if ok, _, _ := l.allow("other", clk.Now()); !ok {
		t.Fatal("another user is refused")
	}
	clk.Advance(25 * time.Second) // t0+30s: the t0 question expired
	if ok, _, _ := l.allow("u", clk.Now()); !ok {
		t.Fatal("refused after the window slid")
	}
	ok, wait, first = l.allow("u", clk.Now())
	if ok || !first || wait != time.Second {
		t.Fatalf("after sliding: ok=%v first=%v wait=%v; want refused, new notice, 1s", ok, first, wait)
	}
}

func TestRateLimiterForgetsIdleUsers(t *testing.T) {
	clk := newFakeClock()
	l := newRateLimiter(2, 10*time.Second)
	for i := 0; i < 1000; i++ {
		l.allow(fmt.Sprint("user", i), clk.Now())
	}
	if n := l.tracked(); n != 1000 {
		t.Fatalf("tracked %d users, want 1000", n)
	}
	clk.Advance(11 * time.Second)
	l.allow("late", clk.Now())
	if n := l.tracked(); n != 1 {
		t.Fatalf("tracked %d users after a window, want 1", n)
	}
}

func TestStateCacheTTL(t *testing.T) {
	clk := newFakeClock()
	c := newStateCache(15*time.Minute, 3)
	st := &answerState{AskerID: "u"}
	id, err := c.put(clk.Now(), st)
	if err != nil {
		t.Fatal(err)
	}
	if !isStateID(id) || len(customID(idMore, id, 99)) > maxCustomID {
		t.Fatalf("bad id %q", id)
	}
	clk.Advance(15*time.Minute - time.Nanosecond)
	if got, ok := c.get(clk.Now(), id); !ok || got != st {
		t.Fatal("state gone before its TTL")
	}
	clk.Advance(time.Nanosecond)
	if _, ok := c.get(clk.Now(), id); ok {
		t.Fatal("state alive at its TTL")
	}
	if _, ok := c.get(clk.Now(), "ffffffffffffffff"); ok {
		t.Fatal("unknown id found")
	}
	// Expired entries are purged on put; the oldest are evicted at max.
	var ids []string
	for i := 0; i < 5; i++ {
		id, _ := c.put(clk.Now(), &answerState{})
		ids = append(ids, id)
		clk.Advance(time.Second)
	}
	if n := c.len(); n != 3 {
		t.Fatalf("%d states kept, want 3", n)
	}
	if _, ok := c.get(clk.Now(), ids[0]); ok {
		t.Error("oldest state not evicted")
	}
	if _, ok := c.get(clk.Now(), ids[4]); !ok {
		t.Error("newest state evicted")
	}
}
