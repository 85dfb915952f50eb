package fakediscord

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxBody is the largest request body the fake accepts (Discord's upload
// limit for unboosted guilds is lower; this only guards the test process).
const maxBody = 32 << 20

// Call is one REST request received by the fake.
//
// Header holds the request headers as sent, including Authorization, so
// tests can check the token; String and GoString never print headers.
type Call struct {
	Method string
	// Path is the request path as sent, e.g. "/api/v9/channels/123/messages"
	// (discordgo v0.29.0 uses API version 9).
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
	Time   time.Time
	// Host is the host the client asked for before the transport rewrote
	// the request, normally "discord.com".
	Host string
	// Status is the HTTP status the fake answered with, including injected
	// faults (e.g. 429).
	Status int
	// Response is the body the fake answered with.
	Response []byte
}

// Route returns the path without the "/api" and "/vN" prefix, e.g.
// "/channels/123/messages". It is "" for paths outside the API.
func (c Call) Route() string {
	r, _ := apiRoute(c.Path)
	return r
}

// OK reports whether the fake answered with a 2xx status.
func (c Call) OK() bool { return c.Status >= 200 && c.Status < 300 }

// String returns "METHOD path -> status" without headers or body, so calls
// can be logged without leaking the token.
func (c Call) String() string {
	p := c.Path
	if len(c.Query) > 0 {
		p += "?" + c.Query.Encode()
	}
	return fmt.Sprintf("%s %s -> %d", c.Method, p, c.Status)
}

// GoString is like String, so %#v does not print headers either.
func (c Call) GoString() string { return "fakediscord.Call{" + c.String() + "}" }

// apiRoute strips "/api" and an optional "/vN" from p.
func apiRoute(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, "/api/")
	if !ok {
		return "", false
	}
	if seg, after, found := strings.Cut(rest, "/"); found && isVersion(seg) {
		rest = after
	} else if isVersion(rest) {
		rest = ""
	}
	return "/" + rest, true
}

func isVersion(seg string) bool {
	if len(seg) < 2 || seg[0] != 'v' {
		return false
	}
	_, err := strconv.Atoi(seg[1:])
	return err == nil
}

// normalizeRoute turns a pattern given with or without "/api/vN" into a
// route.
func normalizeRoute(p string) string {
	if r, ok := apiRoute(p); ok {
		return r
	}
	if !strings.HasPrefix(p, "/") {
		return "/" + p
	}
	return p
}

// Match returns a predicate for WaitCalls matching calls by method ("" for
// any) and route pattern. The pattern may include the "/api/vN" prefix or
// not; "*" matches exactly one path segment and a trailing "/**" any rest,
// e.g. Match("POST", "/channels/*/messages") or
// Match("", "/webhooks/**").
func Match(method, pattern string) func(Call) bool {
	want := strings.Split(strings.Trim(normalizeRoute(pattern), "/"), "/")
	return func(c Call) bool {
		if method != "" && !strings.EqualFold(method, c.Method) {
			return false
		}
		r, ok := apiRoute(c.Path)
		if !ok {
			return false
		}
		got := strings.Split(strings.Trim(r, "/"), "/")
		for i, w := range want {
			if w == "**" && i == len(want)-1 {
				return true
			}
			if i >= len(got) || (w != "*" && w != got[i]) {
				return false
			}
		}
		return len(got) == len(want)
	}
}

// Calls returns all REST calls so far, in the order they were answered.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// WaitCalls waits until at least n recorded calls satisfy pred and returns
// all matching calls recorded so far, in order.
func (s *Server) WaitCalls(ctx context.Context, pred func(Call) bool, n int) ([]Call, error) {
	var got []Call
	err := s.waitFor(ctx, func() bool {
		got = got[:0]
		for _, c := range s.Calls() {
			if pred(c) {
				got = append(got, c)
			}
		}
		return len(got) >= n
	})
	if err != nil {
		all := s.Calls()
		var b strings.Builder
		for i, c := range all {
			if i == 20 {
				fmt.Fprintf(&b, "\n\t... and %d more", len(all)-20)
				break
			}
			b.WriteString("\n\t")
			b.WriteString(c.String())
		}
		return got, fmt.Errorf("fakediscord: waiting for %d matching calls (have %d; all calls:%s): %w", n, len(got), b.String(), err)
	}
	return got, nil
}

// fault is a pending injected failure.
type fault struct {
	prefix     string
	status     int
	retryAfter time.Duration
	left       int
}

// FailNext makes the next n REST calls whose path starts with pathPrefix
// fail with status instead of being served. pathPrefix may be given with or
// without the "/api/vN" prefix ("/channels/" or "/api/v10/channels/" both
// match "/api/v9/channels/123/messages"); "" matches every call.
//
// A 429 gets Discord's rate-limit answer: Retry-After (whole seconds,
// rounded up), X-RateLimit-* headers with Reset-After = retryAfter, and the
// body {"message":"You are being rate limited.","retry_after":<seconds>,
// "global":false}. Other statuses get a Discord-style JSON error body.
// Failed calls are recorded with Call.Status set.
func (s *Server) FailNext(pathPrefix string, status int, retryAfter time.Duration, n int) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{prefix: normalizeRoute(pathPrefix), status: status, retryAfter: retryAfter, left: n})
}

func (s *Server) takeFaultLocked(route string) *fault {
	for i, f := range s.faults {
		if f.prefix == "/" || strings.HasPrefix(route, f.prefix) {
			f.left--
			if f.left <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f
		}
	}
	return nil
}

func (f *fault) response() response {
	if f.status == http.StatusTooManyRequests {
		secs := f.retryAfter.Seconds()
		body, _ := json.Marshal(map[string]any{
			"message":     "You are being rate limited.",
			"retry_after": secs,
			"global":      false,
		})
		h := http.Header{}
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
		h.Set("X-RateLimit-Limit", "5")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(f.retryAfter).UnixMilli())/1000, 'f', 3, 64))
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
		h.Set("X-RateLimit-Bucket", "fakediscord-bucket")
		h.Set("X-RateLimit-Scope", "user")
		return response{status: f.status, header: h, body: body}
	}
	return apiErr(f.status, 0, fmt.Sprintf("%d: %s", f.status, http.StatusText(f.status))).response()
}

// response is what a handler answers.
type response struct {
	status int
	header http.Header
	body   []byte
}

func jsonResp(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		return apiErr(http.StatusInternalServerError, 0, "fakediscord: encoding response: "+err.Error()).response()
	}
	return response{status: status, body: b}
}

func rawJSON(status int, b []byte) response { return response{status: status, body: b} }

func noContent() response { return response{status: http.StatusNoContent} }

// apiError is a Discord error body.
type apiError struct {
	status  int
	code    int
	message string
	errors  formErrors
}

func apiErr(status, code int, msg string) *apiError {
	return &apiError{status: status, code: code, message: msg}
}

func (e *apiError) response() response {
	body := map[string]any{"message": e.message, "code": e.code}
	if len(e.errors) > 0 {
		body["errors"] = e.errors
	}
	return jsonResp(e.status, body)
}

// Common Discord errors.
var (
	errUnknownChannel     = func() *apiError { return apiErr(404, 10003, "Unknown Channel") }
	errUnknownMessage     = func() *apiError { return apiErr(404, 10008, "Unknown Message") }
	errUnknownUser        = func() *apiError { return apiErr(404, 10013, "Unknown User") }
	errUnknownWebhook     = func() *apiError { return apiErr(404, 10015, "Unknown Webhook") }
	errUnknownCommand     = func() *apiError { return apiErr(404, 10063, "Unknown application command") }
	errUnknownInteraction = func() *apiError { return apiErr(404, 10062, "Unknown interaction") }
	errUnknownGuild       = func() *apiError { return apiErr(404, 10004, "Unknown Guild") }
	errUnknownMember      = func() *apiError { return apiErr(404, 10007, "Unknown Member") }
	errEmptyMessage       = func() *apiError { return apiErr(400, 50006, "Cannot send an empty message") }
	errAlreadyAcked       = func() *apiError { return apiErr(400, 40060, "Interaction has already been acknowledged.") }
	errMissingAccess      = func() *apiError { return apiErr(403, 50001, "Missing Access") }
	errNotFound           = func() *apiError { return apiErr(404, 0, "404: Not Found") }
	errMethodNotAllowed   = func() *apiError { return apiErr(405, 0, "405: Method Not Allowed") }
	errUnauthorized       = func() *apiError { return apiErr(401, 0, "401: Unauthorized") }
	errInvalidWebhookTok  = func() *apiError { return apiErr(401, 50027, "Invalid Webhook Token") }
)

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	c := Call{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   body,
		Time:   time.Now(),
		Host:   r.Header.Get(hostHeader),
	}
	c.Header.Del(hostHeader)
	if c.Host == "" {
		c.Host = r.Host
	}

	var resp response
	s.mu.Lock()
	f := s.takeFaultLocked(c.Route())
	s.mu.Unlock()
	switch {
	case readErr != nil:
		resp = apiErr(http.StatusBadRequest, 0, "fakediscord: reading body: "+readErr.Error()).response()
	case len(body) > maxBody:
		resp = apiErr(http.StatusRequestEntityTooLarge, 40005, "Request entity too large").response()
	case f != nil:
		resp = f.response()
	default:
		resp = s.route(&c)
	}
	c.Status = resp.status
	c.Response = resp.body

	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.mu.Unlock()
	s.sig.broadcast()

	for k, v := range resp.header {
		w.Header()[k] = v
	}
	if resp.body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.Header().Set("Via", "1.1 fakediscord")
	w.WriteHeader(resp.status)
	if resp.body != nil {
		w.Write(resp.body)
	}
}

// match reports whether segs matches pattern; "*" matches any segment and
// the matched segments are returned in order.
func match(segs []string, pattern ...string) ([]string, bool) {
	if len(segs) != len(pattern) {
		return nil, false
	}
	var caps []string
	for i, p := range pattern {
		if p == "*" {
			caps = append(caps, segs[i])
		} else if p != segs[i] {
			return nil, false
		}
	}
	return caps, true
}

func (s *Server) route(c *Call) response {
	rt, ok := apiRoute(c.Path)
	if !ok {
		return errNotFound().response()
	}
	segs := strings.Split(strings.Trim(rt, "/"), "/")
	needAuth := true
	switch segs[0] {
	case "interactions", "webhooks":
		needAuth = len(segs) < 3 // token-authenticated routes
	case "gateway":
		needAuth = len(segs) > 1
	}
	if needAuth && c.Header.Get("Authorization") != "Bot "+s.opts.Token {
		return errUnauthorized().response()
	}

	m := c.Method
	onlyMethods := func(allowed ...string) bool {
		for _, a := range allowed {
			if a == m {
				return true
			}
		}
		return false
	}
	if _, ok := match(segs, "gateway"); ok {
		if !onlyMethods("GET") {
			return errMethodNotAllowed().response()
		}
		return jsonResp(200, map[string]any{"url": s.gwURL})
	}
	if _, ok := match(segs, "gateway", "bot"); ok {
		if !onlyMethods("GET") {
			return errMethodNotAllowed().response()
		}
		return jsonResp(200, map[string]any{
			"url":    s.gwURL,
			"shards": s.opts.RecommendedShards,
			"session_start_limit": map[string]any{
				"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1,
			},
		})
	}
	if _, ok := match(segs, "users", "@me"); ok {
		if !onlyMethods("GET", "PATCH") {
			return errMethodNotAllowed().response()
		}
		return jsonResp(200, s.botUser())
	}
	if _, ok := match(segs, "users", "@me", "channels"); ok {
		if !onlyMethods("POST") {
			return errMethodNotAllowed().response()
		}
		return s.createDM(c)
	}
	if caps, ok := match(segs, "users", "*"); ok {
		if !onlyMethods("GET") {
			return errMethodNotAllowed().response()
		}
		s.mu.Lock()
		u := s.users[caps[0]]
		s.mu.Unlock()
		if u == nil {
			return errUnknownUser().response()
		}
		return jsonResp(200, u)
	}
	if _, ok := match(segs, "applications", "@me"); ok {
		return s.application(m)
	}
	if _, ok := match(segs, "oauth2", "applications", "@me"); ok {
		return s.application(m)
	}
	if caps, ok := match(segs, "channels", "*"); ok {
		if !onlyMethods("GET") {
			return errMethodNotAllowed().response()
		}
		s.mu.Lock()
		ch := s.channels[caps[0]]
		s.mu.Unlock()
		if ch == nil {
			return errUnknownChannel().response()
		}
		return jsonResp(200, ch)
	}
	if caps, ok := match(segs, "channels", "*", "messages"); ok {
		switch m {
		case "POST":
			return s.createChannelMessage(c, caps[0])
		case "GET":
			return s.listChannelMessages(c, caps[0])
		}
		return errMethodNotAllowed().response()
	}
	if caps, ok := match(segs, "channels", "*", "messages", "*"); ok {
		switch m {
		case "GET":
			return s.getChannelMessage(caps[0], caps[1])
		case "PATCH":
			return s.editChannelMessage(c, caps[0], caps[1])
		case "DELETE":
			return s.deleteChannelMessage(caps[0], caps[1])
		}
		return errMethodNotAllowed().response()
	}
	if _, ok := match(segs, "channels", "*", "typing"); ok {
		if !onlyMethods("POST") {
			return errMethodNotAllowed().response()
		}
		return noContent()
	}
	if len(segs) >= 6 && segs[0] == "channels" && segs[2] == "messages" && segs[4] == "reactions" {
		s.mu.Lock()
		msg := s.messages[segs[3]]
		s.mu.Unlock()
		if msg == nil || msg.ChannelID != segs[1] {
			return errUnknownMessage().response()
		}
		if m == "GET" {
			return jsonResp(200, []any{})
		}
		return noContent()
	}
	if caps, ok := match(segs, "applications", "*", "commands"); ok {
		return s.commandsRoute(c, caps[0], "")
	}
	if caps, ok := match(segs, "applications", "*", "guilds", "*", "commands"); ok {
		return s.commandsRoute(c, caps[0], caps[1])
	}
	if caps, ok := match(segs, "applications", "*", "commands", "*"); ok {
		return s.commandRoute(c, caps[0], "", caps[1])
	}
	if caps, ok := match(segs, "applications", "*", "guilds", "*", "commands", "*"); ok {
		return s.commandRoute(c, caps[0], caps[1], caps[2])
	}
	if caps, ok := match(segs, "interactions", "*", "*", "callback"); ok {
		if !onlyMethods("POST") {
			return errMethodNotAllowed().response()
		}
		return s.interactionCallback(c, caps[0], caps[1])
	}
	if caps, ok := match(segs, "webhooks", "*", "*"); ok {
		if !onlyMethods("POST") {
			return errMethodNotAllowed().response()
		}
		return s.webhookExecute(c, caps[0], caps[1])
	}
	if caps, ok := match(segs, "webhooks", "*", "*", "messages", "*"); ok {
		return s.webhookMessage(c, caps[0], caps[1], caps[2])
	}
	if caps, ok := match(segs, "guilds", "*"); ok {
		if !onlyMethods("GET") {
			return errMethodNotAllowed().response()
		}
		for _, g := range s.opts.Guilds {
			if g.ID == caps[0] {
				return jsonResp(200, s.guildCreate(g))
			}
		}
		return errUnknownGuild().response()
	}
	if caps, ok := match(segs, "guilds", "*", "channels"); ok {
		if !onlyMethods("GET") {
			return errMethodNotAllowed().response()
		}
		for _, g := range s.opts.Guilds {
			if g.ID == caps[0] {
				return jsonResp(200, s.guildCreate(g).Channels)
			}
		}
		return errUnknownGuild().response()
	}
	if caps, ok := match(segs, "guilds", "*", "members", "*"); ok {
		if !onlyMethods("GET") {
			return errMethodNotAllowed().response()
		}
		return s.guildMember(caps[0], caps[1])
	}
	return errNotFound().response()
}
