package bot

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestParseMessage(t *testing.T) {
	const botID = "1000"
	human := &discordgo.User{ID: "4000", Username: "reader"}
	msg := func(content string, mod ...func(*discordgo.Message)) *discordgo.Message {
		m := &discordgo.Message{ID: "1", ChannelID: "3000", GuildID: "2000", Content: content, Author: human}
		for _, f := range mod {
			f(m)
		}
		return m
	}
	dm := func(m *discordgo.Message) { m.GuildID = "" }
	mentions := func(m *discordgo.Message) { m.Mentions = []*discordgo.User{{ID: botID, Bot: true}} }
	fromBot := func(m *discordgo.Message) { m.Author = &discordgo.User{ID: "77", Bot: true} }
	fromSelf := func(m *discordgo.Message) { m.Author = &discordgo.User{ID: botID} }
	webhook := func(m *discordgo.Message) { m.WebhookID = "55" }
	system := func(m *discordgo.Message) { m.Type = discordgo.MessageTypeGuildMemberJoin }
	reply := func(m *discordgo.Message) { m.Type = discordgo.MessageTypeReply }

	tests := []struct {
		name     string
		m        *discordgo.Message
		wantOK   bool
		wantTrig Trigger
		wantQ    string // after cleanQuestion
	}{
		{"mention", msg("<@1000> Thủ tướng Lào?"), true, TriggerMention, "Thủ tướng Lào?"},
		{"nick mention", msg("<@!1000> Thủ tướng Lào?"), true, TriggerMention, "Thủ tướng Lào?"},
		{"mention in the middle", msg("hỏi <@1000> về Lào"), true, TriggerMention, "hỏi về Lào"},
		{"mention at the end", msg("Lào ở đâu? <@1000>"), true, TriggerMention, "Lào ở đâu?"},
		{"two mentions", msg("<@1000><@!1000> Lào"), true, TriggerMention, "Lào"},
		{"reply ping", msg("còn Campuchia?", mentions, reply), true, TriggerMention, "còn Campuchia?"},
		{"other user's mention kept out", msg("<@1000> what did <@42> say in <#9>?"), true, TriggerMention, "what did say in ?"},
		{"mention of someone else", msg("<@1001> hi"), false, "", ""},
		{"bare mention", msg("<@1000>"), true, TriggerMention, ""},
		{"keyword", msg("!ask Thủ tướng Lào?"), true, TriggerKeyword, "Thủ tướng Lào?"},
		{"keyword upper case", msg("!ASK Lào"), true, TriggerKeyword, "Lào"},
		{"keyword mixed case, leading space", msg("  !AsK\tLào"), true, TriggerKeyword, "Lào"},
		{"keyword then punctuation", msg("!ask? Lào"), true, TriggerKeyword, "? Lào"},
		{"keyword then newline", msg("!ask\nLào"), true, TriggerKeyword, "Lào"},
		{"bare keyword", msg("!ask"), true, TriggerKeyword, ""},
		{"keyword without boundary", msg("!asking about Lào"), false, "", ""},
		{"keyword with digit after", msg("!ask2 Lào"), false, "", ""},
		{"keyword not at start", msg("please !ask Lào"), false, "", ""},
		{"plain message", msg("Lào"), false, "", ""},
		{"mention and keyword", msg("<@1000> !ask Lào"), true, TriggerMention, "Lào"},
		{"dm", msg("Thủ tướng Lào?", dm), true, TriggerDM, "Thủ tướng Lào?"},
		{"dm with keyword", msg("!ask Lào", dm), true, TriggerDM, "Lào"},
		{"dm with mention", msg("<@1000> Lào", dm), true, TriggerDM, "Lào"},
		{"empty dm", msg("   ", dm), true, TriggerDM, ""},
		{"bot author", msg("<@1000> Lào", fromBot), false, "", ""},
		{"bot author dm", msg("Lào", fromBot, dm), false, "", ""},
		{"self", msg("<@1000> Lào", fromSelf), false, "", ""},
		{"self dm", msg("Lào", fromSelf, dm), false, "", ""},
		{"webhook", msg("<@1000> Lào", webhook), false, "", ""},
		{"system message", msg("<@1000> Lào", system), false, "", ""},
		{"no author", msg("<@1000> Lào", func(m *discordgo.Message) { m.Author = nil }), false, "", ""},
		{"hostile", msg("<@1000> \u200b\u202e@everyone\x00 **x** <@&5> 👍"), true, TriggerMention, "@everyone **x** 👍"},
		{"invalid utf8", msg("<@1000> L\xffào"), true, TriggerMention, "L\ufffdào"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, trig, ok := parseMessage(tc.m, botID, "!ask")
			if ok != tc.wantOK || trig != tc.wantTrig {
				t.Fatalf("parseMessage(%q) = %q, %v; want %q, %v", tc.m.Content, trig, ok, tc.wantTrig, tc.wantOK)
			}
			if q := cleanQuestion(raw); ok && q != tc.wantQ {
				t.Errorf("question = %q, want %q", q, tc.wantQ)
			}
		})
	}
	if _, _, ok := parseMessage(nil, botID, "!ask"); ok {
		t.Error("nil message parsed")
	}
}

func TestCutKeyword(t *testing.T) {
	tests := []struct {
		s, kw, rest string
		ok          bool
	}{
		{"!hỏi Lào", "!hỏi", " Lào", true},
		{"!HỎI Lào", "!hỏi", " Lào", true},
		{"!hỏia", "!hỏi", "", false},
		{"!hỏi\u0301", "!hỏi", "", false}, // a combining mark continues the word
		{"!h", "!hỏi", "", false},
		{"", "!ask", "", false},
		{"!ask", "", "", false},
		{"!ask,Lào", "!ask", ",Lào", true},
	}
	for _, tc := range tests {
		rest, ok := cutKeyword(tc.s, tc.kw)
		if ok != tc.ok || (ok && rest != tc.rest) {
			t.Errorf("cutKeyword(%q, %q) = %q, %v; want %q, %v", tc.s, tc.kw, rest, ok, tc.rest, tc.ok)
		}
	}
}

func TestCleanQuestionHuge(t *testing.T) {
	q := cleanQuestion(strings.Repeat("a\u200b<@1> ", 20000))
	if strings.ContainsAny(q, "<\u200b") {
		t.Errorf("tokens left in %q…", q[:40])
	}
}
