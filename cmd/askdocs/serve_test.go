package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/askdocs/askdocs/internal/syncbuf"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdocs/askdocs/bot"
	"github.com/askdocs/askdocs/internal/fakediscord"
	"github.com/askdocs/askdocs/retrieval"
)

// sentinel is the bot token of the serve tests: it must never appear in
// anything the program writes or serves.
const sentinel = "SENTINEL-TOKEN-abc123.x.y"

// waitTimeout bounds every wait: generous, because loaded machines (and
// -race) are slow.
const waitTimeout = 30 * time.Second

// syncBuffer collects logs written from many goroutines.
type syncBuffer = syncbuf.Buffer

// faultySearcher wraps the engine: questions containing "boom-error" fail,
// the first containing "boom-panic" panics, and those containing "slow"
// wait for release.
type faultySearcher struct {
	next     bot.Searcher
	release  chan struct{}
	slowSeen chan struct{}
	panicked sync.Once
}

func (f *faultySearcher) Search(ctx context.Context, q string, k int) (retrieval.Answer, error) {
	switch {
	case strings.Contains(q, "boom-error"):
		return retrieval.Answer{}, errors.New("index unreadable: boom-error")
	case strings.Contains(q, "boom-panic"):
		f.panicked.Do(func() { panic("searcher bug: boom-panic") })
	case strings.Contains(q, "slow"):
		close(f.slowSeen)
		select {
		case <-f.release:
		case <-ctx.Done():
			return retrieval.Answer{}, ctx.Err()
		}
	}
	return f.next.Search(ctx, q, k)
}

// fetch gets url and returns the status and body.
func fetch(url string) (int, string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, "", fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", fmt.Errorf("GET %s: reading body: %w", url, err)
	}
	return resp.StatusCode, string(body), nil
}

// get is fetch for the test's goroutine.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	st, body, err := fetch(url)
	if err != nil {
		t.Fatal(err)
	}
	return st, body
}

// eventually polls cond until it holds, failing after waitTimeout.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestServeDoesNotLeakToken runs `askdocs serve` against a fake Discord
// that accepts only the sentinel token, with debug logs and the metrics
// listener: it asks questions (answered, failing in the search, panicking
// in the search, failing in Discord, by slash command and in a DM),
// checks /healthz (503 before the gateway is connected and once shutdown
// began, 200 with JSON in between) and /metrics, and shuts down. The token
// must appear nowhere: logs at every level (the program's and discordgo's
// own), /healthz and /metrics, what the bot sent to Discord, the returned
// error.
func TestServeDoesNotLeakToken(t *testing.T) {
	// discordgo logs through the standard logger: capture it too.
	var stdlog syncBuffer
	prevOut, prevFlags := log.Writer(), log.Flags()
	log.SetOutput(&stdlog)
	t.Cleanup(func() { log.SetOutput(prevOut); log.SetFlags(prevFlags) })

	srv := fakediscord.NewWithOptions(t, fakediscord.Options{Token: sentinel})
	env := map[string]string{"DISCORD_TOKEN": sentinel, "LOG_LEVEL": "debug", "METRICS_ADDR": "127.0.0.1:0", "RATE_LIMIT": "100"}
	var stderr syncBuffer
	fs := &faultySearcher{release: make(chan struct{}), slowSeen: make(chan struct{})}
	var served []string // every /healthz and /metrics body
	var addr string
	beforeStatus, beforeErr := 0, error(nil)
	ready := make(chan struct{})
	hooks := serveHooks{
		botOptions: []bot.Option{bot.WithSessionHook(srv.Attach)},
		searcher:   func(s bot.Searcher) bot.Searcher { fs.next = s; return fs },
		ready: func(a string) {
			// Called before the bot connects.
			addr = a
			var body string
			beforeStatus, body, beforeErr = fetch("http://" + a + "/healthz")
			served = append(served, body)
			close(ready)
		},
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- serve(ctx, nil, func(k string) string { return env[k] }, &stderr, hooks) }()
	select {
	case <-ready:
	case err := <-errc:
		t.Fatalf("serve: %v\n%s", err, stderr.String())
	case <-time.After(waitTimeout):
		t.Fatal("serve never called the ready hook")
	}
	if beforeErr != nil {
		t.Fatal(beforeErr)
	}
	if beforeStatus != http.StatusServiceUnavailable {
		t.Errorf("/healthz before the gateway connected = %d, want 503", beforeStatus)
	}

	var health struct {
		Status  string `json:"status"`
		Gateway bool   `json:"gateway"`
		Index   bool   `json:"index"`
	}
	eventually(t, "/healthz says ok", func() bool {
		st, body := get(t, "http://"+addr+"/healthz")
		served = append(served, body)
		return st == http.StatusOK && json.Unmarshal([]byte(body), &health) == nil
	})
	if health.Status != "ok" || !health.Gateway || !health.Index {
		t.Errorf("/healthz = %+v", health)
	}

	wctx, wcancel := context.WithTimeout(context.Background(), waitTimeout)
	defer wcancel()
	okReplies := func(n int) {
		t.Helper()
		if _, err := srv.WaitCalls(wctx, func(c fakediscord.Call) bool {
			return fakediscord.Match("POST", "/channels/*/messages")(c) && c.OK()
		}, n); err != nil {
			t.Fatal(err)
		}
	}
	g := fakediscord.DefaultGuildID
	srv.SendMessage(fakediscord.MessageOpts{GuildID: g, Content: "<@1000> Thủ tướng Lào sang Việt Nam dự diễn đàn nào?"})
	okReplies(1)
	srv.SendMessage(fakediscord.MessageOpts{GuildID: g, Content: "<@1000> boom-error"})
	okReplies(2)
	srv.SendMessage(fakediscord.MessageOpts{GuildID: g, Content: "<@1000> boom-panic"})
	okReplies(3)
	srv.FailNext("/channels/", http.StatusUnauthorized, 0, 1)
	srv.SendMessage(fakediscord.MessageOpts{GuildID: g, Content: "<@1000> Hợp tác quốc phòng Việt Nam – Lào?"})
	if _, err := srv.WaitCalls(wctx, func(c fakediscord.Call) bool { return c.Status == http.StatusUnauthorized }, 1); err != nil {
		t.Fatal(err)
	}
	srv.SendMessage(fakediscord.MessageOpts{Content: "Thương mại Việt - Lào quý 1/2024 đạt bao nhiêu?"}) // a DM
	okReplies(4)
	srv.SendSlash(fakediscord.SlashOpts{GuildID: g, Name: "ask", Options: map[string]string{"question": "Lào coi thành tựu của Việt Nam là gì?"}})
	if _, err := srv.WaitCalls(wctx, fakediscord.Match("PATCH", "/webhooks/*/*/messages/@original"), 1); err != nil {
		t.Fatal(err)
	}
	st, body := get(t, "http://"+addr+"/metrics")
	served = append(served, body)
	if st != http.StatusOK || !strings.Contains(body, "askdocs_bot_questions_total") || !strings.Contains(body, "askdocs_index_passages") {
		t.Errorf("/metrics = %d:\n%s", st, body)
	}

	// Shutdown with a question in flight: /healthz says 503 while the
	// reply finishes.
	slow := srv.SendMessage(fakediscord.MessageOpts{GuildID: g, Content: "<@1000> slow Lào?"})
	select {
	case <-fs.slowSeen:
	case <-time.After(waitTimeout):
		t.Fatal("the slow question never reached the searcher")
	}
	cancel()
	eventually(t, "/healthz says 503 during shutdown", func() bool {
		st, body := get(t, "http://"+addr+"/healthz")
		served = append(served, body)
		return st == http.StatusServiceUnavailable && strings.Contains(body, `"gateway":false`)
	})
	close(fs.release)
	var err error
	select {
	case err = <-errc:
	case <-time.After(waitTimeout):
		t.Fatal("serve did not return after cancel")
	}
	if err != nil {
		t.Errorf("serve = %v, want nil", err)
	}
	okReplies(5)
	answeredSlow := false
	for _, c := range srv.Calls() {
		var m struct {
			Ref *struct {
				ID string `json:"message_id"`
			} `json:"message_reference"`
		}
		if c.OK() && json.Unmarshal(c.Body, &m) == nil && m.Ref != nil && m.Ref.ID == slow.ID {
			answeredSlow = true
		}
	}
	if !answeredSlow {
		t.Error("the question in flight at shutdown was not answered")
	}

	// The checks are not vacuous: the token was used, and the failures and
	// every level were logged.
	logs := stderr.String()
	if c := srv.Calls(); len(c) == 0 || c[0].Header.Get("Authorization") != "Bot "+sentinel {
		t.Error("the bot did not authenticate with the sentinel token")
	}
	for _, want := range []string{"level=DEBUG", "level=INFO", "level=WARN", "level=ERROR", "boom-error", "search panicked: searcher bug: boom-panic",
		"discord API call failed", "HTTP 401", "bot: stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q", want)
		}
	}
	leaks := map[string]string{"stderr": logs, "standard logger (discordgo)": stdlog.String(), "/healthz and /metrics": strings.Join(served, "\n")}
	if err != nil {
		leaks["error"] = err.Error()
	}
	for _, c := range srv.Calls() {
		leaks[c.String()+" body"] = string(c.Body)
		leaks[c.String()+" path"] = c.Path + "?" + c.Query.Encode()
	}
	for where, text := range leaks {
		if strings.Contains(text, sentinel) || strings.Contains(text, "abc123.x.y") {
			t.Errorf("the token leaks in %s:\n%s", where, text)
		}
	}
	if t.Failed() {
		t.Logf("logs:\n%s", logs)
	}
}

// TestServeRejectedTokenDoesNotLeak runs serve with a token Discord
// refuses, at the gateway (close 4004) or in the REST API (401): serve
// fails with one line saying what to do, exit code 1, and returns
// without waiting for its context to end (no reconnect loop); neither its
// error nor its logs show the token.
func TestServeRejectedTokenDoesNotLeak(t *testing.T) {
	const want = "serve: Discord refused the bot token: reset it in the Discord Developer Portal " +
		"(Applications → your application → Bot → Reset Token) and put the new one in .env as DISCORD_TOKEN=…"
	for _, tt := range []struct {
		name        string
		serverToken string // the token the fake accepts
		fail        string // a REST path that answers 401 once
	}{
		{"gateway close 4004", "the-right-token", ""},
		{"REST 401", sentinel, "/gateway"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakediscord.NewWithOptions(t, fakediscord.Options{Token: tt.serverToken})
			if tt.fail != "" {
				srv.FailNext(tt.fail, http.StatusUnauthorized, 0, 1)
			}
			env := map[string]string{"DISCORD_TOKEN": sentinel, "LOG_LEVEL": "debug"}
			var stderr syncBuffer
			ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
			defer cancel()
			err := serve(ctx, nil, func(k string) string { return env[k] }, &stderr,
				serveHooks{botOptions: []bot.Option{bot.WithSessionHook(srv.Attach)}})
			if err == nil || err.Error() != want || exitCode(err) != 1 {
				t.Fatalf("serve = %v (exit %d)\nwant  %s (exit 1)", err, exitCode(err), want)
			}
			if ctx.Err() != nil {
				t.Error("serve returned only when its context ended: it kept trying")
			}
			if n := srv.Connections(); n != 0 {
				t.Errorf("%d gateway handshakes completed, want 0", n)
			}
			for where, text := range map[string]string{"error": err.Error(), "stderr": stderr.String(), "error (%#v)": fmt.Sprintf("%#v", err)} {
				if strings.Contains(text, sentinel) {
					t.Errorf("the token leaks in the %s:\n%s", where, text)
				}
			}
		})
	}
}

// TestServeTokenRevokedWhileConnected resets the token while serve is
// connected: Discord closes the gateway with 4004 and refuses the token
// in the REST API. serve stops with the same one line and exit code 1,
// instead of reconnecting forever.
func TestServeTokenRevokedWhileConnected(t *testing.T) {
	srv := fakediscord.NewWithOptions(t, fakediscord.Options{Token: sentinel})
	env := map[string]string{"DISCORD_TOKEN": sentinel}
	var stderr syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		errc <- serve(ctx, nil, func(k string) string { return env[k] }, &stderr,
			serveHooks{botOptions: []bot.Option{bot.WithSessionHook(srv.Attach)}})
	}()
	if err := srv.WaitConnections(ctx, 1); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	srv.FailNext("/users/@me", http.StatusUnauthorized, 0, 1)
	srv.CloseGateway(fakediscord.CloseAuthenticationFailed)
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		t.Fatalf("serve kept running after the token was refused:\n%s", stderr.String())
	}
	const want = "serve: Discord refused the bot token: reset it in the Discord Developer Portal " +
		"(Applications → your application → Bot → Reset Token) and put the new one in .env as DISCORD_TOKEN=…"
	if err == nil || err.Error() != want || exitCode(err) != 1 {
		t.Fatalf("serve = %v (exit %d)\nwant  %s (exit 1)", err, exitCode(err), want)
	}
	if logs := stderr.String(); !strings.Contains(logs, "Discord refused the bot token while connected") || strings.Contains(logs, sentinel) {
		t.Errorf("logs:\n%s", logs)
	}
}
