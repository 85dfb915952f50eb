package bot

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func TestMetricsNilSafe(t *testing.T) {
	var m *Metrics
	m.question(TriggerDM)
	m.outcome(outcomeAnswered)
	m.search(time.Second)
	m.click(idMore, "ok")
	m.discordError("send_message")
}

func TestMetricsRegister(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.question(TriggerSlash)
	m.outcome(outcomeAbstained)
	m.search(20 * time.Millisecond)
	m.click(idFull, "expired")
	m.discordError("interaction_edit")
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, mf := range mfs {
		names[mf.GetName()] = true
	}
	for _, want := range []string{"askdocs_bot_questions_total", "askdocs_bot_replies_total", "askdocs_bot_search_duration_seconds",
		"askdocs_bot_button_clicks_total", "askdocs_bot_discord_errors_total"} {
		if !names[want] {
			t.Errorf("metric %s not registered", want)
		}
	}
	if _, err := NewMetrics(reg); err == nil {
		t.Error("registering twice did not fail")
	}
}
