package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestLiveSwapsWithoutFailingQuestions changes documents while questions
// run, and checks every question succeeds and the change shows.
func TestLiveSwapsWithoutFailingQuestions(t *testing.T) {
	for _, mode := range []struct {
		name    string
		stored  bool
		opts    Options
		rebuilt RebuildReason
		why     string
	}{
		{"memory", false, Options{}, DocumentsChanged, "documents changed"},
		{"stored", true, Options{}, NotRebuilt, ""},
		// Most passages new: the index is rebuilt aside while questions
		// go on with the old one.
		{"stored, rebuilt", true, Options{BatchSize: 1}, LargeChange, "3 of 4 passages changed"},
	} {
		stored := mode.stored
		t.Run(mode.name, func(t *testing.T) {
			docs := t.TempDir()
			writeDocs(t, docs, map[string]string{"a.txt": "Hợp tác quốc phòng giữa hai nước."})
			ctx := context.Background()
			dir := ""
			if stored {
				dir = filepath.Join(t.TempDir(), "idx")
			}
			src, err := Folder(docs)
			if err != nil {
				t.Fatal(err)
			}
			live, _, err := OpenLive(ctx, LiveConfig{Docs: src, Dir: dir, Options: mode.opts})
			if err != nil {
				t.Fatal(err)
			}
			defer live.Close()

			if rep, err := live.Refresh(ctx); rep != nil || err != nil {
				t.Fatalf("refresh with no change = %+v, %v; want nil, nil", rep, err)
			}
			stop := make(chan struct{})
			var wg sync.WaitGroup
			errs := make(chan error, 1)
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						select {
						case <-stop:
							return
						default:
						}
						if _, err := live.Search(ctx, "hop tac quoc phong", 3); err != nil {
							select {
							case errs <- err:
							default:
							}
							return
						}
					}
				}()
			}
			later := time.Now().Add(time.Minute)
			writeDocs(t, docs, map[string]string{"b.txt": "Đường sắt Viêng Chăn – Vũng Áng.\n\nCầu Mỹ Thuận.\n\nCảng Vũng Áng."})
			os.Chtimes(filepath.Join(docs, "b.txt"), later, later)
			rep, err := live.Refresh(ctx)
			close(stop)
			wg.Wait()
			select {
			case err := <-errs:
				t.Fatalf("a question failed during the swap: %v", err)
			default:
			}
			if err != nil || rep == nil || rep.Rebuilt != mode.rebuilt || rep.Why() != mode.why {
				t.Fatalf("refresh = %+v, %v; want rebuilt %q (%q)", rep, err, mode.rebuilt, mode.why)
			}
			a, err := live.Search(ctx, "duong sat vieng chan", 3)
			if err != nil || !a.Answered || a.Results[0].Source != "b.txt" {
				t.Fatalf("after refresh: %+v, %v", a, err)
			}
			if got := live.Stats().Documents; got != 2 {
				t.Fatalf("documents = %d, want 2", got)
			}
		})
	}
}
