import ArgumentParser
@main struct Tekigo: AsyncParsableCommand { func run() async throws {} }
