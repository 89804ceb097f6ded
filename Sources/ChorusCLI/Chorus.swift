import ArgumentParser

@main
struct Chorus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chorus",
        abstract: "Lua scripting for Chorus Pro through PISTE.",
        version: "0.1.0",
        subcommands: [Token.self, Call.self, Config.self]
    )
}
