package bot

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/bwmarrin/discordgo"
)

// Outcomes of a question, in logs and metrics.
const (
	outcomeAnswered    = "answered"
	outcomeAbstained   = "abstained"
	outcomeError       = "error"
	outcomeRateLimited = "rate_limited"
	outcomeTooLong     = "too_long"
	outcomeEmpty       = "empty"
)

// asked is one question being handled.
type asked struct {
	trigger            Trigger
	userID             string
	guildID, channelID string
	lang               Lang
	start              time.Time
}

func (b *Bot) onMessageCreate(d discord, mc *discordgo.MessageCreate) {
	if mc == nil || mc.Message == nil {
		return
	}
	defer b.recoverPanic("message")
	raw, trig, ok := parseMessage(mc.Message, b.botUserID(), b.cfg.Keyword)
	if !ok {
		return
	}
	if !b.begin() {
		b.log.Debug("bot: shutting down: question not taken", "trigger", string(trig), "guild", mc.GuildID, "channel", mc.ChannelID)
		return
	}
	// Handlers run in arrival order (Session.SyncEvents), so the turn
	// taken here orders the replies in the channel.
	t := b.order.next(mc.ChannelID)
	go b.run("message", func(ctx context.Context) {
		defer t.end()
		b.answerMessage(ctx, d, mc.Message, raw, trig, t)
	})
}

func (b *Bot) onInteractionCreate(d discord, ic *discordgo.InteractionCreate) {
	if ic == nil || ic.Interaction == nil || ic.Data == nil {
		return
	}
	defer b.recoverPanic("interaction")
	switch ic.Type {
	case discordgo.InteractionApplicationCommand:
		if ic.ApplicationCommandData().Name != commandName {
			return
		}
		b.track("slash", func(ctx context.Context) { b.answerSlash(ctx, d, ic.Interaction) })
	case discordgo.InteractionMessageComponent:
		b.track("button", func(ctx context.Context) { b.handleButton(ctx, d, ic.Interaction) })
	}
}

// answerMessage answers a question asked in a message with a reply to it,
// sent once every earlier question in the channel had its turn t.
func (b *Bot) answerMessage(ctx context.Context, d discord, m *discordgo.Message, raw string, trig Trigger, t *turn) {
	q := asked{trigger: trig, userID: m.Author.ID, guildID: m.GuildID, channelID: m.ChannelID, lang: b.lang, start: time.Now()}
	b.metrics.question(trig)
	send := func(r Reply) {
		if err := t.wait(ctx); err != nil {
			// Only shutdown giving up cancels ctx.
			b.log.Warn("bot: reply abandoned while waiting for earlier replies in the channel",
				"trigger", string(q.trigger), "guild", q.guildID, "channel", q.channelID, "err", err)
			return
		}
		if err := d.Send(ctx, m, r); err != nil {
			b.discordFailed("send_message", q, err)
		}
	}
	text := cleanQuestion(raw)
	if r, notify, refused := b.refuse(q, text); refused {
		if notify {
			send(r)
		}
		return
	}
	// Show "typing…" only if the search is slow.
	typing := time.AfterFunc(typingDelay, func() {
		if err := d.Typing(ctx, m.ChannelID); err != nil {
			b.log.Debug("bot: typing indicator", "channel", m.ChannelID, "err", err)
		}
	})
	reply, outcome, results, took := b.answer(ctx, q, text)
	typing.Stop()
	send(reply)
	b.logOutcome(q, outcome, results, took, text)
}

// refuse checks a question before it is searched, for every way of
// asking: a user over the rate limit, a question empty or too long. It
// logs a refusal and returns the reply to give, and whether a public
// reply is due: a flood gets one notice, later refused messages none.
func (b *Bot) refuse(q asked, text string) (r Reply, notify, refused bool) {
	if ok, wait, first := b.limiter.allow(q.userID, b.now()); !ok {
		b.logOutcome(q, outcomeRateLimited, 0, 0, text)
		return buildRateLimited(wait, q.lang), first, true
	}
	if r, outcome, ok := b.unaskable(text, q.lang); ok {
		b.logOutcome(q, outcome, 0, 0, "")
		return r, true, true
	}
	return Reply{}, false, false
}

// unaskable returns the reply to a question that cannot be searched —
// empty, or longer than MaxQuestion — and its outcome; ok is false for a
// question to search.
func (b *Bot) unaskable(text string, lang Lang) (r Reply, outcome string, ok bool) {
	if text == "" {
		return buildUsage(b.cfg.Keyword, lang), outcomeEmpty, true
	}
	if n := runesIn(text); n > b.cfg.MaxQuestion {
		return buildTooLong(n, b.cfg.MaxQuestion, lang), outcomeTooLong, true
	}
	return Reply{}, "", false
}

// answerSlash answers /ask: problems with the question get an ephemeral
// note at once; otherwise the response is deferred (Discord allows 3s) and
// the original response edited with the answer.
func (b *Bot) answerSlash(ctx context.Context, d discord, i *discordgo.Interaction) {
	user := interactionUser(i)
	q := asked{trigger: TriggerSlash, userID: user.ID, guildID: i.GuildID, channelID: i.ChannelID,
		lang: langForLocale(string(i.Locale), b.lang), start: time.Now()}
	b.metrics.question(TriggerSlash)
	note := func(r Reply) {
		r.Ephemeral = true
		if err := d.Respond(ctx, i, r); err != nil {
			b.discordFailed("interaction_respond", q, err)
		}
	}
	var raw string
	for _, o := range i.ApplicationCommandData().Options {
		if o != nil && o.Name == optionName && o.Type == discordgo.ApplicationCommandOptionString {
			raw, _ = o.Value.(string)
		}
	}
	text := cleanQuestion(raw)
	if r, _, refused := b.refuse(q, text); refused {
		note(r) // ephemeral: every refusal may have its note
		return
	}
	if err := d.Defer(ctx, i); err != nil {
		b.discordFailed("interaction_defer", q, err)
		return
	}
	reply, outcome, results, took := b.answer(ctx, q, text)
	if err := d.Edit(ctx, i, reply); err != nil {
		b.discordFailed("interaction_edit", q, err)
	}
	b.logOutcome(q, outcome, results, took, text)
}

// answer searches for text and builds the reply, keeping the answer for
// the reply's buttons.
func (b *Bot) answer(ctx context.Context, q asked, text string) (r Reply, outcome string, results int, took time.Duration) {
	start := time.Now()
	a, err := b.safeSearch(ctx, text)
	took = time.Since(start)
	b.metrics.search(took)
	if err != nil {
		b.log.Error("bot: search failed", "trigger", q.trigger, "guild", q.guildID, "channel", q.channelID, "err", err)
		b.metrics.outcome(outcomeError)
		return buildSearchError(q.lang), outcomeError, 0, took
	}
	outcome = outcomeAbstained
	question := Question{Text: text}
	if a.Answered && len(a.Results) > 0 {
		outcome = outcomeAnswered
		id, err := b.states.put(b.now(), &answerState{Question: question, Answer: a, AskerID: q.userID, Lang: q.lang})
		if err != nil {
			b.log.Warn("bot: keep answer for buttons", "err", err)
		} else {
			question.StateID = id
		}
	}
	r, err = safeBuild(func() Reply { return BuildReply(question, a, Page{Size: b.cfg.Results}, q.lang) })
	if err != nil {
		b.log.Error("bot: build reply", "trigger", q.trigger, "err", err)
		b.metrics.outcome(outcomeError)
		return buildSearchError(q.lang), outcomeError, len(a.Results), took
	}
	b.metrics.outcome(outcome)
	return r, outcome, len(a.Results), took
}

// safeSearch calls the Searcher with a timeout, turning a panic into an
// error.
func (b *Bot) safeSearch(ctx context.Context, text string) (a retrieval.Answer, err error) {
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("search panicked: %v", r)
		}
	}()
	return b.search.Search(ctx, text, pagesFetched*b.cfg.Results)
}

// safeBuild runs build, turning a panic into an error.
func safeBuild(build func() Reply) (r Reply, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return build(), nil
}

// handleButton answers clicks on "More results", "Previous" and "Full
// passage". The asker's clicks page the reply itself; anyone else gets the
// page as an ephemeral message of their own. Full passages are always
// ephemeral. Expired or unknown buttons get a polite ephemeral note.
func (b *Bot) handleButton(ctx context.Context, d discord, i *discordgo.Interaction) {
	user := interactionUser(i)
	lang := langForLocale(string(i.Locale), b.lang)
	q := asked{trigger: "button", userID: user.ID, guildID: i.GuildID, channelID: i.ChannelID, lang: lang, start: time.Now()}
	respond := func(r Reply) {
		if err := d.Respond(ctx, i, r); err != nil {
			b.discordFailed("interaction_respond", q, err)
		}
	}
	update := func(r Reply) {
		if err := d.Update(ctx, i, r); err != nil {
			b.discordFailed("interaction_respond", q, err)
		}
	}
	kind, id, n, ok := parseCustomID(i.MessageComponentData().CustomID)
	var st *answerState
	if ok {
		st, ok = b.states.get(b.now(), id)
	}
	if ok && kind == idFull && n >= len(st.Answer.Results) {
		ok = false
	}
	if !ok {
		if kind == "" {
			kind = "unknown"
		}
		b.metrics.click(kind, "expired")
		respond(buildExpired(b.cfg.ButtonTTL, lang))
		b.log.Debug("bot: expired button", "guild", i.GuildID, "channel", i.ChannelID)
		return
	}
	b.metrics.click(kind, "ok")
	if kind == idFull {
		respond(buildPassage(st.Answer, n, lang))
		return
	}
	ephemeralMsg := i.Message != nil && i.Message.Flags&discordgo.MessageFlagsEphemeral != 0
	question := st.Question
	question.StateID = id
	pg := Page{Index: n, Size: b.cfg.Results}
	switch {
	case ephemeralMsg:
		// The clicker's own ephemeral copy.
		update(withEphemeral(BuildReply(question, st.Answer, pg, lang)))
	case user.ID != "" && user.ID == st.AskerID:
		update(BuildReply(question, st.Answer, pg, st.Lang))
	default:
		respond(withEphemeral(BuildReply(question, st.Answer, pg, lang)))
	}
}

func withEphemeral(r Reply) Reply {
	r.Ephemeral = true
	return r
}

// interactionUser returns who triggered i (a member in guilds, a user in
// DMs), never nil.
func interactionUser(i *discordgo.Interaction) *discordgo.User {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User
	}
	if i.User != nil {
		return i.User
	}
	return &discordgo.User{}
}

// logOutcome writes the one log line per question; the question text only
// at debug level.
func (b *Bot) logOutcome(q asked, outcome string, results int, search time.Duration, text string) {
	switch outcome {
	case outcomeRateLimited, outcomeEmpty, outcomeTooLong:
		b.metrics.outcome(outcome)
	}
	level := slog.LevelInfo
	if outcome == outcomeRateLimited {
		level = slog.LevelDebug
	}
	b.log.Log(context.Background(), level, "bot: question",
		"trigger", string(q.trigger),
		"guild", q.guildID,
		"channel", q.channelID,
		"outcome", outcome,
		"results", results,
		"search", search.Round(time.Microsecond),
		"latency", time.Since(q.start).Round(time.Microsecond),
	)
	if b.log.Enabled(context.Background(), slog.LevelDebug) {
		b.log.Debug("bot: question text", "trigger", string(q.trigger), "user", q.userID, "question", text)
	}
}

// discordFailed logs and counts a failed Discord API call.
func (b *Bot) discordFailed(op string, q asked, err error) {
	b.metrics.discordError(op)
	b.log.Warn("bot: discord API call failed", "op", op, "trigger", string(q.trigger),
		"guild", q.guildID, "channel", q.channelID, "err", err)
}
