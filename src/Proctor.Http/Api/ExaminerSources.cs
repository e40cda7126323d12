using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Storage;

namespace Proctor.Http.Api;

/// <summary>What the REST API reads: the ledger's queries, entries and checkpoints, and the key that verifies its checkpoints.</summary>
internal sealed record ExaminerSources(IEventQueries Events, IEntryStore Entries, ICheckpointStore Checkpoints, NoteVerifierKey VerifierKey);
