package bench

import (
	"fmt"
	"os"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/prometheus/procfs"
)

// procCPU returns the user and system CPU time of this process, all
// threads, or -1 when it cannot be read.
func procCPU() time.Duration {
	p, err := procfs.Self()
	if err != nil {
		return -1
	}
	st, err := p.Stat()
	if err != nil {
		return -1
	}
	return time.Duration(st.CPUTime() * float64(time.Second))
}

// procMemory returns the peak (VmHWM) and current (VmRSS) resident set
// size of this process, in bytes.
func procMemory() (hwm, rss uint64, err error) {
	p, err := procfs.Self()
	if err != nil {
		return 0, 0, fmt.Errorf("read process status: %w", err)
	}
	st, err := p.NewStatus()
	if err != nil {
		return 0, 0, fmt.Errorf("read process status: %w", err)
	}
	if st.VmHWM == 0 || st.VmRSS == 0 {
		return 0, 0, fmt.Errorf("read process status: no VmHWM or VmRSS")
	}
	return st.VmHWM, st.VmRSS, nil
}

// resetPeakRSS starts VmHWM again from the current resident size
// (proc(5), /proc/pid/clear_refs, since Linux 4.0), so that a second
// phase of one run has its own peak. procfs only reads, hence the write.
func resetPeakRSS() error {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// loadAvg returns the 1-minute load average, or -1.
func loadAvg() float64 {
	fs, err := procfs.NewDefaultFS()
	if err != nil {
		return -1
	}
	l, err := fs.LoadAvg()
	if err != nil {
		return -1
	}
	return l.Load1
}

// heapSampler records the peak of the heap in use (runtime/metrics,
// which unlike ReadMemStats does not stop the world), sampled on a tick.
type heapSampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	once sync.Once
	peak uint64
}

var heapMetrics = []string{"/memory/classes/heap/objects:bytes", "/memory/classes/heap/unused:bytes"}

func startHeapSampler(every time.Duration) *heapSampler {
	h := &heapSampler{done: make(chan struct{})}
	h.sample()
	h.wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-h.done:
				return
			case <-t.C:
				h.sample()
			}
		}
	})
	return h
}

// sample is only called by one goroutine at a time: before the sampler
// starts, by the sampler, and after it stops.
func (h *heapSampler) sample() {
	s := make([]metrics.Sample, len(heapMetrics))
	for i, name := range heapMetrics {
		s[i].Name = name
	}
	metrics.Read(s)
	var n uint64
	for _, x := range s {
		if x.Value.Kind() == metrics.KindUint64 {
			n += x.Value.Uint64()
		}
	}
	h.peak = max(h.peak, n)
}

// stop ends sampling and returns the peak, in bytes.
func (h *heapSampler) stop() uint64 {
	h.once.Do(func() {
		close(h.done)
		h.wg.Wait()
		h.sample()
	})
	return h.peak
}
