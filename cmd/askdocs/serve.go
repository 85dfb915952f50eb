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
	c := serveConfig{Engine: loadEngineConfig(getenv)}
	var errs []error
	num := func(name string) int {
		s := strings.TrimSpace(getenv(name))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %q: want a whole number", name, s))
		}
		return n
	}
	dur := func(name string) time.Duration {
		s := strings.TrimSpace(getenv(name))
		if s == "" {
			return 0
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %q: want a duration such as 30s or 15m", name, s))
		}
		return d
	}
	c.Bot = bot.Config{
		Token:           strings.TrimSpace(getenv("DISCORD_TOKEN")),
		Keyword:         strings.TrimSpace(getenv("BOT_KEYWORD")),
		Lang:            strings.TrimSpace(getenv("BOT_LANG")),
		GuildID:         strings.TrimSpace(getenv("DISCORD_GUILD_ID")),
		ShardID:         num("DISCORD_SHARD_ID"),
		ShardCount:      num("DISCORD_SHARD_COUNT"),
		MaxQuestion:     num("MAX_QUESTION_CHARS"),
		RateLimit:       num("RATE_LIMIT"),
		RateWindow:      dur("RATE_WINDOW"),
		Results:         num("RESULTS_PER_PAGE"),
		ButtonTTL:       dur("BUTTON_TTL"),
		ShutdownTimeout: dur("SHUTDOWN_TIMEOUT"),
	}
	c.MetricsAddr = strings.TrimSpace(getenv("METRICS_ADDR"))
	c.WatchInterval = 10 * time.Second
	if s := strings.TrimSpace(getenv("WATCH_INTERVAL")); s != "" {
		c.WatchInterval = dur("WATCH_INTERVAL")
		if c.WatchInterval < 0 {
			errs = append(errs, fmt.Errorf("WATCH_INTERVAL %q: want 0 (off) or a positive duration", s))
		}
	}
	if c.Bot.Token == "" {
		return c, usageError{"serve: DISCORD_TOKEN is not set: put the bot token in the environment or in .env " +
			"(see README.md); `askdocs ask \"câu hỏi\"` works without one"}
	}
	if err := c.Bot.Validate(); err != nil {
		errs = append(errs, err)
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
	cfg, err := loadServeConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("serve")
	cfg.Engine.flags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("serve: unexpected argument %q", pos[0])}
	}
	log, err := newLogger(getenv, stderr, slog.LevelInfo)
	if err != nil {
		return err
	}

	ix, _, err := openEngine(ctx, cfg.Engine, log, retrieval.Options{})
	if err != nil {
		return err
	}
	fsys, _, _ := docsFS(cfg.Engine)
	urls, _ := cfg.Engine.urls() // checked by openEngine
	live := retrieval.NewLive(ix, fsys, cfg.Engine.IndexPath, retrieval.Options{URLs: urls})
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
	if cfg.Engine.DocsDir != "" && cfg.WatchInterval > 0 && !cfg.Engine.ReadOnly {
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
