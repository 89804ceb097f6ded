import ChorusAPI
import ChorusLedger
import ChorusLua
import Foundation

extension GlobalOptions {
    /// The `chorus` module's view of this invocation: clients for the resolved environment (and other
    /// accounts, for `chorus.as`), the files Lua may touch, the doctor and the ledger. Shared by every
    /// command that runs Lua (`run`, `repl`, plugin commands), so they behave alike.
    /// - Parameters:
    ///   - roots: folders `chorus.fs` may read and write (the script's folder, `--allow-path`).
    ///   - readOnlyRoots: folders it may only read (the working directory).
    ///   - confirmWrite: asked before a write in production without `allow_writes` (the REPL asks its user).
    func luaContext(
        roots: [String], readOnlyRoots: [String] = [FileManager.default.currentDirectoryPath],
        confirmWrite: (@Sendable (ChorusOperation) async -> Bool)? = nil
    ) -> ChorusLuaContext {
        let global = self
        return ChorusLuaContext(
            clients: ClientProvider(accounts: { (account: String?) async throws(ChorusError) -> ChorusClient in
                if let account { return try await global.makeClient(account: account, confirmWrite: confirmWrite) }
                return try await global.makeClient(confirmWrite: confirmWrite)
            }),
            files: FilePolicy(
                roots: roots, readOnlyRoots: readOnlyRoots,
                denied: FilePolicy.chorusFiles(ChorusPaths.resolve(environment: processEnvironment, configFlag: config))),
            doctor: { options in
                await Doctor(flags: .init(profile: global.profile, env: global.env, config: global.config),
                             environment: global.processEnvironment, simulator: ProcessSimulator.launcher, options: options,
                             logger: global.logger("chorus.doctor")).run()
            },
            ledgers: LedgerProvider.standard(flag: nil, environment: processEnvironment))
    }
}
