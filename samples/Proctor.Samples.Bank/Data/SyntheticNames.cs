namespace Proctor.Samples.Bank.Data;

/// <summary>Word lists the customer generator draws from.</summary>
internal static class SyntheticNames
{
    public static readonly string[] FirstNames =
    [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
        "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
        "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra", "Mark", "Ashley", "Wei", "Emily",
        "Andrew", "Maria", "Joshua", "Michelle", "Kevin", "Amanda", "Brian", "Priya", "Omar", "Grace",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Patel", "Chen", "Kim",
    ];

    public static readonly string[] Streets =
    [
        "Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Park Blvd", "Elm St", "Washington Ave", "Lake Rd",
        "Hillcrest Dr", "River Rd", "Sunset Blvd", "Pine St", "Church St", "Highland Ave", "Mill Rd", "2nd St",
    ];

    public static readonly (string City, string State, string Zip, int AreaCode)[] Places =
    [
        ("New York", "NY", "10016", 212), ("Brooklyn", "NY", "11215", 718), ("Chicago", "IL", "60614", 312),
        ("Houston", "TX", "77004", 713), ("Dallas", "TX", "75204", 214), ("Phoenix", "AZ", "85004", 602),
        ("Philadelphia", "PA", "19103", 215), ("San Diego", "CA", "92101", 619), ("San Jose", "CA", "95112", 408),
        ("Charlotte", "NC", "28202", 704), ("Columbus", "OH", "43215", 614), ("Seattle", "WA", "98101", 206),
        ("Denver", "CO", "80202", 303), ("Boston", "MA", "02108", 617), ("Atlanta", "GA", "30303", 404),
        ("Miami", "FL", "33130", 305), ("Minneapolis", "MN", "55401", 612), ("Newark", "NJ", "07102", 973),
    ];

    /// <summary>Domains reserved for documentation (RFC 2606), so no generated address can reach anyone.</summary>
    public static readonly string[] EmailDomains = ["example.com", "example.net", "example.org"];
}
