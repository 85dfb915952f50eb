package bot

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Trigger says how a question reached the bot.
type Trigger string

// Triggers.
const (
	TriggerMention Trigger = "mention" // the bot was mentioned in a message
	TriggerKeyword Trigger = "keyword" // a message started with the keyword
	TriggerSlash   Trigger = "slash"   // the /ask slash command
	TriggerDM      Trigger = "dm"      // a direct message to the bot
)

// discordToken matches the mention-like tokens of Discord messages: user,
// role and channel mentions, custom emoji, timestamps and slash command
// mentions. They are removed from questions before searching.
var discordToken = regexp.MustCompile(`<(?:@[!&]?\d+|#\d+|a?:\w{1,32}:\d+|t:-?\d+(?::[tTdDfFR])?|/[-_\p{L}\p{N} ]{1,100}:\d+|id:\w+)>`)

// parseMessage decides whether m asks the bot (whose user ID is botID) a
// question and returns the raw question text (bot mentions and keyword
// removed, not yet cleaned) and the trigger. Messages from bots (the bot
// itself included), webhooks and the system, and non-chat message types
// are never questions.
func parseMessage(m *discordgo.Message, botID, keyword string) (question string, trig Trigger, ok bool) {
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.System || m.WebhookID != "" ||
		(botID != "" && m.Author.ID == botID) {
		return "", "", false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return "", "", false
	}
	content, mentioned := stripBotMentions(m.Content, botID)
	if !mentioned && botID != "" {
		for _, u := range m.Mentions {
			if u != nil && u.ID == botID {
				// A reply to the bot that pings it.
				mentioned = true
				break
			}
		}
	}
	rest, hasKeyword := cutKeyword(content, keyword)
	switch {
	case m.GuildID == "":
		trig = TriggerDM
	case mentioned:
		trig = TriggerMention
	case hasKeyword:
		trig = TriggerKeyword
	default:
		return "", "", false
	}
	if hasKeyword {
		content = rest
	}
	return content, trig, true
}

// stripBotMentions removes <@botID> and <@!botID> from s and reports
// whether there was one.
func stripBotMentions(s, botID string) (string, bool) {
	if botID == "" {
		return s, false
	}
	found := false
	for _, tok := range []string{"<@" + botID + ">", "<@!" + botID + ">"} {
		if strings.Contains(s, tok) {
			found = true
			s = strings.ReplaceAll(s, tok, " ")
		}
	}
	return s, found
}

// cutKeyword reports whether s (after leading white space) starts with
// keyword, case-insensitively and followed by the end of s or a character
// that is not a letter, digit or mark ("!ask?" is the keyword, "!asking"
// is not), and returns the rest of s.
func cutKeyword(s, keyword string) (string, bool) {
	if keyword == "" {
		return s, false
	}
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	i, n := 0, utf8.RuneCountInString(keyword)
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if utf8.RuneCountInString(s[:i]) != n || !strings.EqualFold(s[:i], keyword) {
		return s, false
	}
	if r, _ := utf8.DecodeRuneInString(s[i:]); i < len(s) && isWordRune(r) {
		return s, false
	}
	return s[i:], true
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// cleanQuestion turns raw question text into what is searched: sanitized,
// on one line, without Discord mention and emoji tokens, with runs of
// white space collapsed and trimmed.
func cleanQuestion(s string) string {
	s = sanitize(s, false)
	s = discordToken.ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(s), " ")
}
