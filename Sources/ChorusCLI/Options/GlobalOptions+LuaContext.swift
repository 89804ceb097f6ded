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
    func luaContext(roots: [String], readOnlyRoots: [String] = [FileManager.default.currentDirectoryPath]) -> ChorusLuaContext {
        let global = self
        return ChorusLuaContext(
            clients: ClientProvider(accounts: { (account: String?) async throws(ChorusError) -> ChorusClient in
                if let account { return try await global.makeClient(account: account) }
                return try await global.makeClient()
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
