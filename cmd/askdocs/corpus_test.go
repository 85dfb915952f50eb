package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/askdocs/askdocs/bot"
	"github.com/askdocs/askdocs/internal/fakediscord"
)

// TestIndexKeepsItsCorpus builds a stored index from one folder and
// checks that no command replaces it with other documents unasked:
// without --docs, ask, eval, index and serve use the folder it records;
// with another folder they refuse, naming both and --rebuild; with the
// folder gone the index is served as it is; --rebuild replaces it.
func TestIndexKeepsItsCorpus(t *testing.T) {
	a, b, index := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "idx")
	os.WriteFile(filepath.Join(a, "a.txt"), []byte("Hai nước ký thỏa thuận về năng lượng tái tạo."), 0o644)
	os.WriteFile(filepath.Join(b, "b.txt"), []byte("Học bổng cho sinh viên Lào."), 0o644)
	evalFile := filepath.Join(t.TempDir(), "q.jsonl")
	os.WriteFile(evalFile, []byte(`{"q":"nang luong tai tao","category":"plain","gold":[{"source":"a.txt","line":1}]}`+"\n"), 0o644)
	if out, _, err := runCmd(t, nil, "", "index", "--docs", a, "--index", index); err != nil || !strings.HasPrefix(out, "built index (no index yet): 1 added") {
		t.Fatalf("index: %q, %v", out, err)
	}
	refusal := "index " + index + " holds the documents of " + a + ", not " + b + ": to replace it with " + b + " on purpose, add --rebuild"
	askA := func(t *testing.T, env map[string]string) {
		t.Helper()
		out, _, err := runCmd(t, env, "", "ask", "--index", index, "nang luong tai tao")
		if err != nil || !strings.HasPrefix(out, "[1] a.txt:1 — ") {
			t.Fatalf("ask from the recorded folder: %q, %v", out, err)
		}
	}
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		out  string // stdout starts so ("" for none)
		err  string // the error ("" for none)
	}{
		{"ask without docs", nil, []string{"ask", "--index", index, "nang luong tai tao"}, "[1] a.txt:1 — ", ""},
		{"eval without docs", nil, []string{"eval", "--index", index, evalFile}, "askdocs ", ""},
		{"index without docs", nil, []string{"index", "--index", index}, "updated index: 0 added, 0 changed, 0 removed, 1 unchanged", ""},
		{"ask with another folder", nil, []string{"ask", "--docs", b, "--index", index, "hoc bong"}, "", refusal},
		{"ask with DOCS_DIR another folder", map[string]string{"DOCS_DIR": b, "INDEX_PATH": index}, []string{"ask", "hoc bong"}, "", refusal},
		{"eval with another folder", nil, []string{"eval", "--docs", b, "--index", index, evalFile}, "", refusal},
		{"index with another folder", nil, []string{"index", "--docs", b, "--index", index}, "", refusal},
		{"serve with another folder", map[string]string{"DISCORD_TOKEN": "t"}, []string{"serve", "--docs", b, "--index", index}, "", refusal},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runCmd(t, tt.env, "", tt.args...)
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tt.err != "" && (err == nil || err.Error() != tt.err):
				t.Fatalf("err = %v,\nwant %s", err, tt.err)
			case !strings.HasPrefix(out, tt.out):
				t.Fatalf("stdout = %q, want it to start %q", out, tt.out)
			}
			if tt.name == "eval without docs" && !strings.Contains(out, "in scope 1 (abstained on 0)") {
				t.Fatalf("eval did not answer from the recorded folder:\n%s", out)
			}
			askA(t, nil) // still the index of a
		})
	}

	// The recorded folder gone: served as it is, with a warning; index
	// says it could not update.
	gone := a + ".gone"
	if err := os.Rename(a, gone); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := runCmd(t, nil, "", "ask", "--index", index, "nang luong tai tao")
	if err != nil || !strings.HasPrefix(out, "[1] a.txt:1 — ") || !strings.Contains(stderr, "documents folder is gone: serving the index as it is, read-only") {
		t.Fatalf("ask with the folder gone: %q, %q, %v", out, stderr, err)
	}
	_, _, err = runCmd(t, nil, "", "index", "--index", index)
	if want := "index: documents folder " + a + " is gone: index " + index + " left as it is"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("index with the folder gone: %v, want %s…", err, want)
	}
	os.Rename(gone, a)

	// On purpose: --rebuild replaces it, and b is then the one recorded.
	out, _, err = runCmd(t, nil, "", "index", "--docs", b, "--index", index, "--rebuild")
	if err != nil || !strings.HasPrefix(out, "built index (rebuild requested): 1 added, 0 changed, 0 removed, 0 unchanged") {
		t.Fatalf("index --rebuild: %q, %v", out, err)
	}
	out, _, err = runCmd(t, nil, "", "ask", "--index", index, "hoc bong sinh vien")
	if err != nil || !strings.HasPrefix(out, "[1] b.txt:1 — ") {
		t.Fatalf("ask after --rebuild: %q, %v", out, err)
	}
	// An index of the embedded seeds is not replaced by a folder either.
	seedsIndex := filepath.Join(t.TempDir(), "seeds")
	if _, _, err := runCmd(t, nil, "", "index", "--index", seedsIndex); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCmd(t, nil, "", "ask", "--docs", b, "--index", seedsIndex, "x")
	if err == nil || !strings.HasPrefix(err.Error(), "index "+seedsIndex+" holds the documents of embedded seeds sha256:") || !strings.HasSuffix(err.Error(), "add --rebuild") {
		t.Fatalf("ask with a folder on an index of the seeds: %v", err)
	}
}

// TestServeUsesRecordedFolder runs serve on a stored index with no
// DOCS_DIR: it answers from the folder the index records and follows
// changes to that folder.
func TestServeUsesRecordedFolder(t *testing.T) {
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	os.WriteFile(filepath.Join(docs, "a.txt"), []byte("Hai nước ký thỏa thuận về năng lượng tái tạo."), 0o644)
	if _, _, err := runCmd(t, nil, "", "index", "--docs", docs, "--index", index); err != nil {
		t.Fatal(err)
	}
	srv := fakediscord.NewWithOptions(t, fakediscord.Options{Token: sentinel})
	env := map[string]string{"DISCORD_TOKEN": sentinel, "INDEX_PATH": index, "WATCH_INTERVAL": "100ms", "RATE_LIMIT": "100"}
	var stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		errc <- serve(ctx, nil, func(k string) string { return env[k] }, &stderr,
			serveHooks{botOptions: []bot.Option{bot.WithSessionHook(srv.Attach)}})
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), waitTimeout)
	defer wcancel()
	if err := srv.WaitConnections(wctx, 1); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	// ask sends a question and returns the bot's reply.
	replies := 0
	ask := func(q string) string {
		t.Helper()
		srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, ChannelID: fakediscord.DefaultChannelID, Content: "<@1000> " + q})
		replies++
		calls, err := srv.WaitCalls(wctx, func(c fakediscord.Call) bool {
			return fakediscord.Match("POST", "/channels/*/messages")(c) && c.OK()
		}, replies)
		if err != nil {
			t.Fatal(err)
		}
		return string(calls[replies-1].Body)
	}
	if got := ask("nang luong tai tao"); !strings.Contains(got, "a.txt:1") {
		t.Fatalf("reply from the recorded folder = %q, want a citation of a.txt:1", got)
	}
	later := time.Now().Add(time.Minute)
	os.WriteFile(filepath.Join(docs, "b.txt"), []byte("Học bổng cho sinh viên Lào."), 0o644)
	os.Chtimes(filepath.Join(docs, "b.txt"), later, later)
	eventually(t, "the index follows the recorded folder", func() bool {
		return strings.Contains(stderr.String(), "documents changed; index updated")
	})
	if got := ask("hoc bong sinh vien"); !strings.Contains(got, "b.txt:1") {
		t.Fatalf("reply after the change = %q, want a citation of b.txt:1", got)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}
