package retrieval

import (
	"context"
	"os"
	"testing"
)

func TestTmpBuild(t *testing.T) {
	dir := os.Getenv("TMPBUILD")
	if dir == "" {
		t.Skip()
	}
	idx := os.Getenv("TMPINDEX")
	if idx == "" {
		idx = t.TempDir()
	}
	for i := 0; i < 5; i++ {
		ix, _, err := Open(context.Background(), os.DirFS(dir), idx, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ix.Close()
	}
}
