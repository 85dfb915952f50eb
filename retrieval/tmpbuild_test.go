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
	ix, _, err := Open(context.Background(), os.DirFS(dir), t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
}
