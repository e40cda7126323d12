using Microsoft.Data.Sqlite;
using ModelContextProtocol;

namespace Proctor.Samples.Bank.Data;

/// <summary>
/// An in-memory SQLite copy of the customers and accounts for ad-hoc SQL. Queries run on their own connection
/// with <c>PRAGMA query_only</c> set; only <see cref="SetBalance"/> writes, through a second connection.
/// </summary>
internal sealed class BankDatabase : IDisposable
{
    public const int MaxRows = 500;

    private const string Schema = """
        CREATE TABLE customers (
            customer_id TEXT PRIMARY KEY, name TEXT NOT NULL, ssn TEXT NOT NULL, date_of_birth TEXT NOT NULL,
            email TEXT NOT NULL, phone TEXT NOT NULL, address TEXT NOT NULL, card_number TEXT NOT NULL);
        CREATE TABLE accounts (
            account_number TEXT PRIMARY KEY, routing_number TEXT NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers (customer_id), balance REAL NOT NULL, currency TEXT NOT NULL);
        """;

    private readonly Lock _gate = new();
    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _reader;

    public BankDatabase(IEnumerable<Customer> customers)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = $"bank-{Guid.NewGuid():N}",
            Mode = SqliteOpenMode.Memory,
            Cache = SqliteCacheMode.Shared,
        }.ToString();
        _writer = Open(connectionString);
        Load(customers);
        _reader = Open(connectionString);
        using var queryOnly = _reader.CreateCommand();
        queryOnly.CommandText = "PRAGMA query_only = ON";
        queryOnly.ExecuteNonQuery();
    }

    /// <summary>Runs one SELECT and returns at most <see cref="MaxRows"/> rows.</summary>
    public SqlQueryResult Query(string sql)
    {
        SelectOnlyGuard.Ensure(sql);
        lock (_gate)
        {
            try
            {
                using var command = _reader.CreateCommand();
                command.CommandText = sql;
                using var reader = command.ExecuteReader();
                var columns = UniqueColumnNames(reader);
                var rows = new List<Dictionary<string, object?>>();
                while (rows.Count < MaxRows && reader.Read())
                {
                    rows.Add(columns.Index().ToDictionary(c => c.Item, c => reader.IsDBNull(c.Index) ? null : reader.GetValue(c.Index)));
                }

                return new SqlQueryResult(columns, rows, Truncated: rows.Count == MaxRows && reader.Read());
            }
            catch (SqliteException e)
            {
                throw new McpException($"The query failed: {e.Message}", e);
            }
        }
    }

    public void SetBalance(string accountNumber, decimal balance)
    {
        lock (_gate)
        {
            using var command = _writer.CreateCommand();
            command.CommandText = "UPDATE accounts SET balance = $p0 WHERE account_number = $p1";
            Run(command, (double)balance, accountNumber);
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
    }

    private static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private void Load(IEnumerable<Customer> customers)
    {
        using (var schema = _writer.CreateCommand())
        {
            schema.CommandText = Schema;
            schema.ExecuteNonQuery();
        }

        using var transaction = _writer.BeginTransaction();
        using var insertCustomer = _writer.CreateCommand();
        insertCustomer.CommandText = "INSERT INTO customers VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7)";
        using var insertAccount = _writer.CreateCommand();
        insertAccount.CommandText = $"INSERT INTO accounts VALUES ($p0, $p1, $p2, $p3, '{BankLedger.Currency}')";
        foreach (var c in customers)
        {
            Run(insertCustomer, c.Id, c.Name, c.Ssn, c.DateOfBirth.ToString("yyyy-MM-dd"), c.Email, c.Phone, c.Address, c.CardNumber);
            Run(insertAccount, c.AccountNumber, c.RoutingNumber, c.Id, (double)c.OpeningBalance);
        }

        transaction.Commit();
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        command.Parameters.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue($"$p{i}", values[i]);
        }

        command.ExecuteNonQuery();
    }

    /// <summary>Column names, with a numeric suffix on repeats so every value keeps its own JSON property.</summary>
    private static List<string> UniqueColumnNames(SqliteDataReader reader)
    {
        var names = new List<string>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var name = reader.GetName(i);
            names.Add(names.Contains(name) ? $"{name}_{i + 1}" : name);
        }

        return names;
    }
}
