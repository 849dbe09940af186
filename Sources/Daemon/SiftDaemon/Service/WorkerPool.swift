import Logging
import ServiceLifecycle

/// The workers: each takes the next piece of work from the ``Intake``, claims it, and runs it
/// through the current pipeline, one document at a time.
///
/// Documents that were in flight when siftd died run first, alone and one after another, so
/// that one that kills the process again is known for certain (``CrashQuarantine``). On
/// graceful shutdown (or cancellation) the intake closes: the workers finish the documents they
/// hold and end.
struct WorkerPool: Service {
    /// How many documents are processed at once.
    let workers: Int
    let intake: Intake
    let spool: Spool
    let runtimes: RuntimeHolder
    let quarantine: CrashQuarantine
    let deferred: DeferredClaims
    let counters: ProcessingCounters
    /// Documents in flight at the previous death, to retry alone before anything else.
    let suspects: [ClaimedFile]
    let logger: Logger

    func run() async throws {
        await withTaskCancellationOrGracefulShutdownHandler {
            for suspect in suspects where !intake.isClosed {
                await process(suspect, slot: 0, alone: true)
            }
            await withDiscardingTaskGroup { group in
                for slot in 0..<workers {
                    group.addTask { await work(slot: slot) }
                }
            }
        } onCancelOrGracefulShutdown: {
            intake.close()
        }
        // The intake can close before this pool is asked to stop (the inbox was lost): stay until
        // asked, so that the group ends on that cause rather than on workers that ran out of work.
        try await gracefulShutdown()
    }

    private func work(slot: Int) async {
        while let item = await intake.next() {
            let claim: ClaimedFile
            switch item {
            case .claim(let leftover):
                claim = leftover
            case .inbox(let name):
                do {
                    guard let claimed = try spool.claim(name) else { continue }
                    claim = claimed
                } catch {
                    logger.error("cannot claim \(FileName.printable(name)): \(error)", metadata: ["document": "\(name)"])
                    continue
                }
            }
            await process(claim, slot: slot, alone: false)
        }
    }

    private func process(_ claim: ClaimedFile, slot: Int, alone: Bool) async {
        counters.started(claim)
        quarantine.begin(slot: slot, documentID: claim.documentID, alone: alone)
        let (runtime, generation) = await runtimes.checkout()
        let outcome = await runtime.workflow.process(claim, with: runtime.pipeline)
        await runtimes.checkin(generation)
        quarantine.end(slot: slot)
        counters.finished(claim, outcome)
        switch outcome {
        case .deferred: deferred.add(claim)
        case .succeeded: deferred.noteSuccess()
        case .failed: break
        }
    }
}
