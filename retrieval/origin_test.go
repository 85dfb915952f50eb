package retrieval

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func folder(t *testing.T, dir string) Source {
	t.Helper()
	src, err := Folder(dir)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func liveTop(t *testing.T, l *Live, q string) string {
	t.Helper()
	a, err := l.Search(context.Background(), q, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Answered {
		return ""
	}
	return a.Results[0].Source
}

// TestOpenLiveKeepsItsCorpus checks that a stored index is opened with
// the documents it was built from, and never replaced by others unasked.
func TestOpenLiveKeepsItsCorpus(t *testing.T) {
	ctx := context.Background()
	a, b, index := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "idx")
	writeDocs(t, a, map[string]string{"a.txt": "Hợp tác quốc phòng giữa hai nước."})
	writeDocs(t, b, map[string]string{"b.txt": "Học bổng cho sinh viên Lào."})
	seeds, err := Embedded("embedded seeds", fstest.MapFS{"s.txt": {Data: []byte("Đường sắt Viêng Chăn – Vũng Áng.")}})
	if err != nil {
		t.Fatal(err)
	}
	openLive := func(cfg LiveConfig) (*Live, *UpdateReport, error) {
		t.Helper()
		cfg.Dir, cfg.Default = index, seeds
		l, rep, err := OpenLive(ctx, cfg)
		if err == nil {
			t.Cleanup(func() { l.Close() })
		}
		return l, rep, err
	}

	// Built from a, the index records a's absolute path.
	l, rep, err := openLive(LiveConfig{Docs: folder(t, a)})
	if err != nil || rep.Rebuilt != NoIndexYet || rep.Origin.Dir != a {
		t.Fatalf("first open: %+v, %v", rep, err)
	}
	l.Close()

	// No documents named: the recorded folder, with its changes.
	writeDocs(t, a, map[string]string{"a2.txt": "Cầu Mỹ Thuận."})
	l, rep, err = openLive(LiveConfig{})
	if err != nil || rep.Rebuilt != NotRebuilt || rep.Added != 1 || rep.Origin.Dir != a || l.ReadOnly() {
		t.Fatalf("open without docs: %+v, %v", rep, err)
	}
	if got := liveTop(t, l, "cau my thuan"); got != "a2.txt" {
		t.Fatalf("after update from the recorded folder, top = %q", got)
	}
	l.Close()

	// Another folder: refused, naming both; the index is untouched.
	_, _, err = openLive(LiveConfig{Docs: folder(t, b)})
	var other *OtherCorpusError
	if !errors.As(err, &other) || other.Recorded.Dir != a || other.Given.Dir != b || other.Index != index {
		t.Fatalf("open with another folder: %v, want *OtherCorpusError %s → %s", err, a, b)
	}
	// The same folder by another path is the same corpus.
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	l, rep, err = openLive(LiveConfig{Docs: folder(t, link)})
	if err != nil || rep.Rebuilt != NotRebuilt || rep.Origin.Dir != a {
		t.Fatalf("open through a link to the folder: %+v, %v; want it opened as %s", rep, err, a)
	}
	l.Close()
	// The embedded documents are another corpus too.
	if _, _, err = openLive(LiveConfig{Docs: seeds}); !errors.As(err, &other) || other.Given.Name != "embedded seeds" {
		t.Fatalf("open with the seeds: %v, want *OtherCorpusError", err)
	}
	// Read-only serves what is stored, whatever it is given.
	l, rep, err = openLive(LiveConfig{Docs: folder(t, b), ReadOnly: true})
	if err != nil || rep.Origin.Dir != a || !l.ReadOnly() {
		t.Fatalf("read-only open with another folder: %+v, %v", rep, err)
	}
	if got := liveTop(t, l, "hop tac quoc phong"); got != "a.txt" {
		t.Fatalf("read-only top = %q, want a.txt", got)
	}
	l.Close()

	// The recorded folder gone: served as it is, read-only, and said so.
	gone := a + ".gone"
	if err := os.Rename(a, gone); err != nil {
		t.Fatal(err)
	}
	l, rep, err = openLive(LiveConfig{})
	if err != nil || rep.DocsGone != a || !l.ReadOnly() || l.Stats().Documents != 2 {
		t.Fatalf("open with the folder gone: %+v, %v", rep, err)
	}
	if rep, err := l.Refresh(ctx); rep != nil || err != nil {
		t.Fatalf("refresh of a read-only index = %+v, %v", rep, err)
	}
	if got := liveTop(t, l, "hop tac quoc phong"); got != "a.txt" {
		t.Fatalf("folder gone: top = %q, want a.txt", got)
	}
	l.Close()
	os.Rename(gone, a)

	// Asked to rebuild: replaced by b, which it then records.
	l, rep, err = openLive(LiveConfig{Docs: folder(t, b), Rebuild: true})
	if err != nil || rep.Rebuilt != Requested || rep.Origin.Dir != b {
		t.Fatalf("rebuild with b: %+v, %v", rep, err)
	}
	if got := liveTop(t, l, "hoc bong sinh vien"); got != "b.txt" {
		t.Fatalf("after rebuild top = %q, want b.txt", got)
	}
	l.Close()
	if _, _, err = openLive(LiveConfig{Docs: folder(t, a)}); !errors.As(err, &other) || other.Recorded.Dir != b {
		t.Fatalf("open with a after rebuilding with b: %v", err)
	}
}

// TestOpenLiveEmbedded checks that an index of the embedded documents is
// reopened with them, and that a folder does not replace it unasked.
func TestOpenLiveEmbedded(t *testing.T) {
	ctx := context.Background()
	index, docs := filepath.Join(t.TempDir(), "idx"), t.TempDir()
	writeDocs(t, docs, map[string]string{"a.txt": "Hợp tác quốc phòng giữa hai nước."})
	seeds, err := Embedded("embedded seeds", fstest.MapFS{"s.txt": {Data: []byte("Đường sắt Viêng Chăn – Vũng Áng.")}})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []RebuildReason{NoIndexYet, NotRebuilt} {
		l, rep, err := OpenLive(ctx, LiveConfig{Default: seeds, Dir: index})
		if err != nil || rep.Rebuilt != want || rep.Origin != seeds.Origin {
			t.Fatalf("open %d: %+v, %v; want rebuilt %q, origin %v", i, rep, err, want, seeds.Origin)
		}
		l.Close()
	}
	var other *OtherCorpusError
	if _, _, err := OpenLive(ctx, LiveConfig{Docs: folder(t, docs), Default: seeds, Dir: index}); !errors.As(err, &other) {
		t.Fatalf("open with a folder: %v, want *OtherCorpusError", err)
	}
}

func TestOrigin(t *testing.T) {
	seeds := Origin{Name: "embedded seeds", Hash: "sha256:0123456789abcdef0123"}
	for _, tt := range []struct {
		a, b Origin
		same bool
		str  string
	}{
		{Origin{Dir: "/a"}, Origin{Dir: "/a"}, true, "/a"},
		{Origin{Dir: "/a"}, Origin{Dir: "/b"}, false, "/a"},
		{Origin{Dir: "/a"}, seeds, false, "/a"},
		{seeds, Origin{Name: "embedded seeds", Hash: "sha256:other"}, true, "embedded seeds sha256:0123456789ab"},
		{Origin{}, seeds, false, "unrecorded documents"},
	} {
		if got := tt.a.Same(tt.b); got != tt.same {
			t.Errorf("%v.Same(%v) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
		if got := tt.a.String(); got != tt.str {
			t.Errorf("String() = %q, want %q", got, tt.str)
		}
	}
}

// TestOpenLiveUnrecorded checks an index that records no documents (as
// one built by an older askdocs): opened with none named it is refused,
// not rebuilt from the default; named, it is used and then records them.
func TestOpenLiveUnrecorded(t *testing.T) {
	ctx := context.Background()
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	writeDocs(t, docs, map[string]string{"a.txt": "Hợp tác quốc phòng giữa hai nước."})
	ix, _ := open(t, docs, index) // Open records no origin
	ix.Close()
	seeds, err := Embedded("embedded seeds", fstest.MapFS{"s.txt": {Data: []byte("Đường sắt Viêng Chăn – Vũng Áng.")}})
	if err != nil {
		t.Fatal(err)
	}
	var unrecorded *UnrecordedOriginError
	if _, _, err := OpenLive(ctx, LiveConfig{Default: seeds, Dir: index}); !errors.As(err, &unrecorded) || unrecorded.Index != index {
		t.Fatalf("open without docs: %v, want *UnrecordedOriginError", err)
	}
	// Read-only needs no record.
	l, _, err := OpenLive(ctx, LiveConfig{Default: seeds, Dir: index, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	l, rep, err := OpenLive(ctx, LiveConfig{Docs: folder(t, docs), Default: seeds, Dir: index})
	if err != nil || rep.Rebuilt != NotRebuilt || rep.Unchanged != 1 {
		t.Fatalf("open with docs: %+v, %v", rep, err)
	}
	l.Close()
	if o, _ := storedOrigin(index); o.Dir != docs {
		t.Fatalf("recorded origin = %+v, want %s", o, docs)
	}
}

// TestOpenLiveStaleUsesRecordedFolder checks that an index built by
// another analysis version is rebuilt from the folder it records, not
// from the default documents.
func TestOpenLiveStaleUsesRecordedFolder(t *testing.T) {
	ctx := context.Background()
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	writeDocs(t, docs, map[string]string{"a.txt": "Hợp tác quốc phòng giữa hai nước."})
	seeds, err := Embedded("embedded seeds", fstest.MapFS{"s.txt": {Data: []byte("Đường sắt Viêng Chăn – Vũng Áng.")}})
	if err != nil {
		t.Fatal(err)
	}
	l, _, err := OpenLive(ctx, LiveConfig{Docs: folder(t, docs), Default: seeds, Dir: index})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	// Rewrite the store as if another analysis version had built it.
	cur, _ := os.ReadFile(filepath.Join(index, currentFile))
	path := filepath.Join(index, strings.TrimSpace(string(cur)), storeFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	body := b[:len(b)-4]
	i := bytes.Index(body, []byte(analysisVersion))
	if i < 0 {
		t.Fatal("analysis version not found in the store")
	}
	copy(body[i:], strings.Repeat("x", len(analysisVersion)))
	body = binary.LittleEndian.AppendUint32(body, crc32.ChecksumIEEE(body))
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	if o, ok := readStoreOrigin(path); !ok || o.Dir != docs {
		t.Fatalf("origin of the stale store = %+v, %v", o, ok)
	}
	l, rep, err := OpenLive(ctx, LiveConfig{Default: seeds, Dir: index})
	if err != nil || rep.Rebuilt != AnalysisChanged || rep.Origin.Dir != docs {
		t.Fatalf("open of a stale index: %+v, %v; want rebuilt (analysis changed) from %s", rep, err, docs)
	}
	defer l.Close()
	if got := liveTop(t, l, "hop tac quoc phong"); got != "a.txt" {
		t.Fatalf("top = %q, want a.txt", got)
	}
}

func TestReadStoreOrigin(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name string
		data string
		ok   bool
	}{
		{"empty", "", false},
		{"other format", "ASKDOCS-STORE-5\n\x04/abc", false},
		{"truncated", storeMagic + "\x04/ab", false},
		{"length too large", storeMagic + "\xff\xff\xff\xff\x0f", false},
		{"whole", storeMagic + "\x04/abc\x00\x00", true},
	} {
		p := filepath.Join(dir, tt.name)
		os.WriteFile(p, []byte(tt.data), 0o644)
		o, ok := readStoreOrigin(p)
		if ok != tt.ok || ok && o.Dir != "/abc" {
			t.Errorf("%s: readStoreOrigin = %+v, %v; want ok %v", tt.name, o, ok, tt.ok)
		}
	}
}
