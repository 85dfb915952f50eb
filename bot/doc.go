// Package bot is askdocs' Discord front end: it turns mentions, a message
// keyword, the /ask slash command and direct messages into questions for the
// search engine and answers with short quoted excerpts and exact citations
// (file and line).
//
// The reply is built by the pure function BuildReply into a plain Reply
// value; a thin adapter converts it to discordgo types and is the one place
// that calls Discord: the handlers reach Discord through a small interface of
// the calls they make (send, typing, respond, update, defer, edit), so they
// are tested without a gateway. Every text that comes
// from documents or users is sanitised and escaped, every Discord size limit
// is respected by shortening, and every message is sent with an empty
// allowed-mentions list, so the bot never pings anyone.
//
// Bot.Run connects to the gateway, registers /ask and serves until its
// context is cancelled, then shuts down gracefully.
package bot
