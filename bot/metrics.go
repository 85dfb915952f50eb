package bot

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts what the bot does, for Prometheus. A nil *Metrics is
// valid and records nothing.
type Metrics struct {
	questions     *prometheus.CounterVec
	outcomes      *prometheus.CounterVec
	searchSeconds prometheus.Histogram
	clicks        *prometheus.CounterVec
	discordErrors *prometheus.CounterVec
}

// NewMetrics creates the bot's metrics and registers them on reg:
//
//	askdocs_bot_questions_total{trigger}        questions received (mention, keyword, slash, dm)
//	askdocs_bot_replies_total{outcome}          answered, abstained, error, rate_limited, too_long, empty
//	askdocs_bot_search_duration_seconds         search latency
//	askdocs_bot_button_clicks_total{kind,state} more/full clicks, ok or expired
//	askdocs_bot_discord_errors_total{op}        failed Discord API calls
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "askdocs_bot_questions_total",
			Help: "Questions received, by trigger (mention, keyword, slash, dm).",
		}, []string{"trigger"}),
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "askdocs_bot_replies_total",
			Help: "Replies to questions, by outcome (answered, abstained, error, rate_limited, too_long, empty).",
		}, []string{"outcome"}),
		searchSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "askdocs_bot_search_duration_seconds",
			Help:    "Time taken by the search engine per question.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
		clicks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "askdocs_bot_button_clicks_total",
			Help: "Button clicks, by kind (more, full) and state (ok, expired).",
		}, []string{"kind", "state"}),
		discordErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "askdocs_bot_discord_errors_total",
			Help: "Failed Discord API calls, by operation.",
		}, []string{"op"}),
	}
	for _, c := range []prometheus.Collector{m.questions, m.outcomes, m.searchSeconds, m.clicks, m.discordErrors} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("bot: register metrics: %w", err)
		}
	}
	return m, nil
}

func (m *Metrics) question(t Trigger) {
	if m != nil {
		m.questions.WithLabelValues(string(t)).Inc()
	}
}

func (m *Metrics) outcome(o string) {
	if m != nil {
		m.outcomes.WithLabelValues(o).Inc()
	}
}

func (m *Metrics) search(d time.Duration) {
	if m != nil {
		m.searchSeconds.Observe(d.Seconds())
	}
}

func (m *Metrics) click(kind, state string) {
	if m != nil {
		m.clicks.WithLabelValues(kind, state).Inc()
	}
}

func (m *Metrics) discordError(op string) {
	if m != nil {
		m.discordErrors.WithLabelValues(op).Inc()
	}
}
