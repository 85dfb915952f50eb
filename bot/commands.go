package bot

import "github.com/bwmarrin/discordgo"

// Names of the slash command and its option. Interactions always carry
// these names, whatever the user's locale.
const (
	commandName = "ask"
	optionName  = "question"
)

// askCommand defines /ask question:<text>, localized in Vietnamese and
// English; Discord enforces maxLen on the question.
func askCommand(maxLen int) *discordgo.ApplicationCommand {
	vi, en := text(LangVI), text(LangEN)
	locales := func(viText, enText string) map[discordgo.Locale]string {
		return map[discordgo.Locale]string{
			discordgo.Vietnamese: viText,
			discordgo.EnglishUS:  enText,
			discordgo.EnglishGB:  enText,
		}
	}
	names := locales(commandName, commandName)
	descs := locales(vi.CommandDescription, en.CommandDescription)
	one := 1
	return &discordgo.ApplicationCommand{
		Type:                     discordgo.ChatApplicationCommand,
		Name:                     commandName,
		NameLocalizations:        &names,
		Description:              en.CommandDescription,
		DescriptionLocalizations: &descs,
		Contexts: &[]discordgo.InteractionContextType{
			discordgo.InteractionContextGuild,
			discordgo.InteractionContextBotDM,
		},
		IntegrationTypes: &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall},
		Options: []*discordgo.ApplicationCommandOption{{
			Type:                     discordgo.ApplicationCommandOptionString,
			Name:                     optionName,
			NameLocalizations:        locales(vi.OptionName, en.OptionName),
			Description:              en.OptionDescription,
			DescriptionLocalizations: locales(vi.OptionDescription, en.OptionDescription),
			Required:                 true,
			MinLength:                &one,
			MaxLength:                maxLen,
		}},
	}
}
