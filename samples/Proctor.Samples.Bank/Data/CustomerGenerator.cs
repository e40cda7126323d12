using Proctor.Samples.Bank.Identifiers;

namespace Proctor.Samples.Bank.Data;

/// <summary>Deterministic synthetic customers: the same seed and count always give the same list.</summary>
internal static class CustomerGenerator
{
    private static readonly DateOnly EarliestBirthDate = new(1940, 1, 1);
    private const int BirthDateSpanDays = 65 * 365;

    public static IReadOnlyList<Customer> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var accountNumbers = new HashSet<string>();
        return Enumerable.Range(1, count).Select(i => Create(random, $"C{i:D5}", accountNumbers)).ToList();
    }

    private static Customer Create(Random random, string id, HashSet<string> accountNumbers)
    {
        var first = Pick(random, SyntheticNames.FirstNames);
        var last = Pick(random, SyntheticNames.LastNames);
        var place = Pick(random, SyntheticNames.Places);
        return new Customer(
            Id: id,
            Name: $"{first} {last}",
            Ssn: SocialSecurityNumber.Generate(random),
            DateOfBirth: EarliestBirthDate.AddDays(random.Next(BirthDateSpanDays)),
            Email: $"{first}.{last}{random.Next(1, 100)}@{Pick(random, SyntheticNames.EmailDomains)}".ToLowerInvariant(),
            Phone: $"({place.AreaCode}) {ExchangeCode(random)}-{random.Next(10_000):D4}",
            Address: $"{random.Next(1, 10_000)} {Pick(random, SyntheticNames.Streets)}, {place.City}, {place.State} {place.Zip}",
            CardNumber: PaymentCardNumber.Generate(random),
            AccountNumber: NewAccountNumber(random, accountNumbers),
            RoutingNumber: AbaRoutingNumber.Generate(random),
            OpeningBalance: random.Next(2_500, 25_000_000) / 100m);
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    /// <summary>A NANP exchange: 200–999, never an N11 service code.</summary>
    private static int ExchangeCode(Random random)
    {
        int exchange;
        do
        {
            exchange = random.Next(200, 1000);
        }
        while (exchange % 100 == 11);

        return exchange;
    }

    /// <summary>A checking account number of 10–12 digits, not starting with 0, unique within the bank.</summary>
    private static string NewAccountNumber(Random random, HashSet<string> taken)
    {
        string number;
        do
        {
            number = $"{random.Next(1, 10)}{RandomDigits.Next(random, random.Next(9, 12))}";
        }
        while (!taken.Add(number));

        return number;
    }
}
