package bot

import (
	"context"
	"sync"
)

// channelOrder hands out turns so that the replies in one channel are sent
// in the order the questions arrived, while searches run concurrently and
// channels do not wait for each other. Turns must be taken in arrival
// order (the gateway's handlers run one at a time, see Run) and every turn
// must be ended.
type channelOrder struct {
	mu   sync.Mutex
	last map[string]*turn // the latest turn of each channel with work in progress
}

// turn is one question's place in its channel's queue of replies.
type turn struct {
	order   *channelOrder
	channel string
	prev    <-chan struct{} // closed when the previous turn ends; nil if none
	done    chan struct{}
}

func newChannelOrder() *channelOrder {
	return &channelOrder{last: map[string]*turn{}}
}

// next returns the turn after the latest one taken in channel.
func (o *channelOrder) next(channel string) *turn {
	o.mu.Lock()
	defer o.mu.Unlock()
	t := &turn{order: o, channel: channel, done: make(chan struct{})}
	if p := o.last[channel]; p != nil {
		t.prev = p.done
	}
	o.last[channel] = t
	return t
}

// pending returns the number of channels with turns not yet ended.
func (o *channelOrder) pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.last)
}

// wait blocks until every earlier turn in the channel has ended, or ctx is
// done.
func (t *turn) wait(ctx context.Context) error {
	if t.prev == nil {
		return nil
	}
	select {
	case <-t.prev:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// end lets the next turn in the channel go. It must be called exactly once.
func (t *turn) end() {
	close(t.done)
	t.order.mu.Lock()
	if t.order.last[t.channel] == t {
		delete(t.order.last, t.channel)
	}
	t.order.mu.Unlock()
}
