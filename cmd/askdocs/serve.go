package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/askdocs/askdocs/bot"
	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/corpus"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// serveConfig is everything `askdocs serve` reads from the environment,
// validated.
type serveConfig struct {
	Engine        engineConfig
	Bot           bot.Config
	MetricsAddr   string
	WatchInterval time.Duration // 0: do not watch the documents
}

// loadServeConfig reads and checks the settings of serve. Errors name the
// setting and never echo the token.
func loadServeConfig(getenv func(string) string) (serveConfig, error) {
	var errs []error
	ec, err := loadEngineConfig(getenv)
	if err != nil {
		errs = append(errs, err)
	}
	c := serveConfig{Engine: ec}
	// num and dur read a setting that, when set, must lie in [lo, hi];
	// unset, it is 0 and the bot's default applies.
	num := func(name string, lo, hi int) int {
		s := strings.TrimSpace(getenv(name))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s %q: want a whole number", name, s))
		case n < lo || n > hi:
			errs = append(errs, fmt.Errorf("%s %d: want %d to %d", name, n, lo, hi))
		}
		return n
	}
	dur := func(name string, lo, hi time.Duration) time.Duration {
		s := strings.TrimSpace(getenv(name))
		if s == "" {
			return 0
		}
		d, err := time.ParseDuration(s)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s %q: want a duration such as 30s or 15m", name, s))
		case d < lo || d > hi:
			errs = append(errs, fmt.Errorf("%s %v: want %v to %v", name, d, lo, hi))
		}
		return d
	}
	c.Bot = bot.Config{
		Token:           strings.TrimSpace(getenv("DISCORD_TOKEN")),
		Keyword:         strings.TrimSpace(getenv("BOT_KEYWORD")),
		Lang:            strings.TrimSpace(getenv("BOT_LANG")),
		GuildID:         strings.TrimSpace(getenv("DISCORD_GUILD_ID")),
		ShardCount:      num("DISCORD_SHARD_COUNT", 1, 1<<16),
		MaxQuestion:     num("MAX_QUESTION_CHARS", 1, bot.MaxMaxQuestion),
		RateLimit:       num("RATE_LIMIT", 1, 1<<20),
		RateWindow:      dur("RATE_WINDOW", time.Second, 24*time.Hour),
		Results:         num("RESULTS_PER_PAGE", 1, bot.MaxResults),
		ButtonTTL:       dur("BUTTON_TTL", time.Second, 24*time.Hour),
		ShutdownTimeout: dur("SHUTDOWN_TIMEOUT", time.Millisecond, time.Hour),
	}
	if s := strings.TrimSpace(getenv("DISCORD_SHARD_ID")); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("DISCORD_SHARD_ID %q: want a whole number", s))
		case n < 0 || n >= max(c.Bot.ShardCount, 1):
			errs = append(errs, fmt.Errorf("DISCORD_SHARD_ID %d: want 0 to DISCORD_SHARD_COUNT-1 (DISCORD_SHARD_COUNT is %d)", n, max(c.Bot.ShardCount, 1)))
		}
		c.Bot.ShardID = n
	}
	if g := c.Bot.GuildID; g != "" && strings.Trim(g, "0123456789") != "" {
		errs = append(errs, fmt.Errorf("DISCORD_GUILD_ID %q: want a server id, digits only (Developer Mode → right-click the server → Copy Server ID)", g))
	}
	if l := c.Bot.Lang; l != "" && l != "vi" && l != "en" {
		errs = append(errs, fmt.Errorf("BOT_LANG %q: want vi or en", l))
	}
	if k := c.Bot.Keyword; strings.ContainsFunc(k, unicode.IsSpace) || utf8.RuneCountInString(k) > 32 {
		errs = append(errs, errors.New("BOT_KEYWORD: want one word of at most 32 characters"))
	}
	c.MetricsAddr = strings.TrimSpace(getenv("METRICS_ADDR"))
	c.WatchInterval = 10 * time.Second
	if s := strings.TrimSpace(getenv("WATCH_INTERVAL")); s != "" {
		d, err := time.ParseDuration(s)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("WATCH_INTERVAL %q: want a duration such as 10s, or 0 (off)", s))
		case d != 0 && d < 100*time.Millisecond:
			errs = append(errs, fmt.Errorf("WATCH_INTERVAL %v: want 0 (off) or at least 100ms", d))
		}
		c.WatchInterval = d
	}
	if c.Bot.Token == "" {
		return c, usageError{"serve: DISCORD_TOKEN is not set: put the bot token in the environment or in .env " +
			"(see README.md); `askdocs ask \"câu hỏi\"` works without one"}
	}
	if len(errs) == 0 { // the bot's own checks, on what the settings above let through
		if err := c.Bot.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("METRICS_ADDR %q: want host:port, e.g. 127.0.0.1:9090", c.MetricsAddr))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return c, usageError{"serve: " + strings.ReplaceAll(err.Error(), "\n", "; ")}
	}
	return c, nil
}

// serveHooks lets tests attach a fake Discord and observe the server.
type serveHooks struct {
	botOptions []bot.Option
	ready      func(metricsAddr string) // called once serving, with the listener's address
	// searcher, if set, wraps the engine the bot answers with (tests use
	// it to inject failures).
	searcher func(bot.Searcher) bot.Searcher
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return serve(ctx, args, getenv, stderr, serveHooks{})
}

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, hooks serveHooks) error {
	cfg, cfgErr := loadServeConfig(getenv)
	fs := newFlags("serve")
	cfg.Engine.flags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if cfgErr != nil {
		return cfgErr
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("serve: unexpected argument %q", pos[0])}
	}
	log, err := newLogger(getenv, stderr, slog.LevelInfo)
	if err != nil {
		return err
	}

	live, _, err := openEngine(ctx, cfg.Engine, log, retrieval.Options{})
	if err != nil {
		return err
	}
	defer live.Close()
	st := live.Stats()
	log.Info("index ready", "documents", st.Documents, "passages", st.Passages)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics, err := bot.NewMetrics(reg)
	if err != nil {
		return fmt.Errorf("serve: metrics: %w", err)
	}
	reg.MustRegister(indexCollector(live))

	opts := append([]bot.Option{bot.WithMetrics(metrics)}, hooks.botOptions...)
	var search bot.Searcher = live
	if hooks.searcher != nil {
		search = hooks.searcher(live)
	}
	b, err := bot.New(cfg.Bot, search, log, opts...)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if cfg.WatchInterval > 0 {
		go live.Watch(ctx, cfg.WatchInterval, func(rep *retrieval.UpdateReport, err error) {
			if err != nil {
				log.Error("documents changed; index not updated", "err", err)
				return
			}
			log.Info("documents changed; index updated", "added", rep.Added, "changed", rep.Changed,
				"removed", rep.Removed, "passages", rep.Passages, "ms", rep.Duration.Milliseconds(),
				"skipped", corpus.Summary(rep.Skipped))
		})
	}
	var srv *http.Server
	if cfg.MetricsAddr != "" {
		ln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("serve: listen on METRICS_ADDR: %w", err)
		}
		srv = &http.Server{Handler: opsHandler(reg, b, live), ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)
		log.Info("metrics listening", "addr", ln.Addr().String())
		if hooks.ready != nil {
			hooks.ready(ln.Addr().String())
		}
	} else if hooks.ready != nil {
		hooks.ready("")
	}
	err = b.Run(ctx)
	if errors.Is(err, bot.ErrTokenRejected) {
		err = errors.New("serve: Discord refused the bot token: reset it in the Discord Developer Portal " +
			"(Applications → your application → Bot → Reset Token) and put the new one in .env as DISCORD_TOKEN=…")
	}
	if srv != nil {
		shut, done := context.WithTimeout(context.Background(), 2*time.Second)
		srv.Shutdown(shut)
		done()
	}
	return err
}

// opsHandler serves /healthz and /metrics.
func opsHandler(reg *prometheus.Registry, b *bot.Bot, live *retrieval.Live) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		st := live.Stats()
		body := map[string]any{
			"index":     st.Passages > 0,
			"gateway":   b.Ready(),
			"documents": st.Documents,
			"passages":  st.Passages,
		}
		ok := st.Passages > 0 && b.Ready()
		body["status"] = map[bool]string{true: "ok", false: "unavailable"}[ok]
		w.Header().Set("Content-Type", "application/json")
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(body)
	})
	return mux
}

// indexCollector exports the index's size as gauges.
func indexCollector(live *retrieval.Live) prometheus.Collector {
	docs := prometheus.NewDesc("askdocs_index_documents", "Documents in the index.", nil, nil)
	passages := prometheus.NewDesc("askdocs_index_passages", "Passages in the index.", nil, nil)
	return collectorFunc{descs: []*prometheus.Desc{docs, passages}, collect: func(ch chan<- prometheus.Metric) {
		st := live.Stats()
		ch <- prometheus.MustNewConstMetric(docs, prometheus.GaugeValue, float64(st.Documents))
		ch <- prometheus.MustNewConstMetric(passages, prometheus.GaugeValue, float64(st.Passages))
	}}
}

type collectorFunc struct {
	descs   []*prometheus.Desc
	collect func(chan<- prometheus.Metric)
}

func (c collectorFunc) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

func (c collectorFunc) Collect(ch chan<- prometheus.Metric) { c.collect(ch) }
