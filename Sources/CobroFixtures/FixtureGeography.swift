import CobroCore

/// Word lists and country facts used to make customers look like real companies: names (with accents, commas
/// and quotes, which exercise CSV quoting), e-mail domains, phone numbers, languages, time zones, payment habits.

/// The language family used for names, descriptions and references.
enum Lang: UInt8, Sendable {
    case es, en, fr, pt

    init(tag: String) {
        if tag.hasPrefix("es") { self = .es } else if tag.hasPrefix("fr") { self = .fr } else if tag.hasPrefix("pt") { self = .pt } else { self = .en }
    }
}

enum PayMethod: UInt8, Sendable {
    case transfer, card, check, cash, directDebit
    var csv: StaticString {
        switch self {
        case .transfer: return "transfer"
        case .card: return "card"
        case .check: return "check"
        case .cash: return "cash"
        case .directDebit: return "direct_debit"
        }
    }
}

struct CountryInfo: Sendable {
    let code: String
    let languages: [(String, Double)]
    let timezones: [(String, Double)]
    let tld: String
    let publicTld: String
    let legalForms: [(String, Double)]
    /// Probability of writing `Name, S.L.` rather than `Name S.L.`.
    let commaBeforeLegal: Double
    /// Regional words for company names ("del Bajío", "Blue Ridge").
    let places: [String]
    let cities: [String]
    /// Public-sector names; `%` is replaced by a city.
    let publicTemplates: [String]
    /// `#` any digit, `N` a digit 2–9.
    let phoneFormats: [String]
    /// Usual payment methods (direct debit only where mandates are common).
    let methods: [(PayMethod, Double)]
    /// Share of customers paying by direct debit (mandate) among prompt payers.
    let directDebitShare: Double
}

enum Geography {
    static let countries: [CountryInfo] = [
        CountryInfo(
            code: "US", languages: [("en", 0.92), ("es-US", 0.08)],
            timezones: [("America/New_York", 0.48), ("America/Chicago", 0.26), ("America/Denver", 0.07), ("America/Los_Angeles", 0.19)],
            tld: "com", publicTld: "gov",
            legalForms: [("Inc.", 0.4), ("LLC", 0.35), ("Corp.", 0.15), ("Co.", 0.1)], commaBeforeLegal: 0.35,
            places: ["Blue Ridge", "Summit", "Pioneer", "Lakeside", "Northwind", "Redwood", "Granite State", "Evergreen", "Harbor", "Liberty",
                     "Keystone", "Prairie", "Silverline", "Oakmont", "Riverbend", "Bayside", "Cascade", "Frontier", "Heritage", "Atlas", "Golden Gate", "Lone Star"],
            cities: ["Springfield", "Riverside", "Franklin", "Greenville", "Bristol", "Clinton", "Fairview", "Salem", "Madison", "Georgetown", "Arlington", "Ashland", "Dover", "Jackson"],
            publicTemplates: ["City of %", "% County", "% Unified School District", "% Water Authority", "% Public Library"],
            phoneFormats: ["+1 N## 555 01##"],
            methods: [(.transfer, 0.55), (.check, 0.30), (.card, 0.14), (.cash, 0.01)], directDebitShare: 0.05
        ),
        CountryInfo(
            code: "MX", languages: [("es-MX", 1)],
            timezones: [("America/Mexico_City", 0.8), ("America/Monterrey", 0.12), ("America/Tijuana", 0.08)],
            tld: "com.mx", publicTld: "gob.mx",
            legalForms: [("S.A. de C.V.", 0.7), ("S. de R.L. de C.V.", 0.2), ("S.A.P.I. de C.V.", 0.1)], commaBeforeLegal: 0.5,
            places: ["del Norte", "del Bajío", "del Pacífico", "Azteca", "de Occidente", "del Golfo", "Peninsular", "Regiomontana", "Tapatía", "del Sureste", "Mexicana", "Maya"],
            cities: ["Querétaro", "Puebla", "Guadalajara", "Monterrey", "Mérida", "Toluca", "León", "Morelia", "Oaxaca", "Zacatecas", "San Luis Potosí"],
            publicTemplates: ["Municipio de %", "Universidad Autónoma de %", "Secretaría de Salud de %", "Sistema de Agua Potable de %"],
            phoneFormats: ["+52 55 #### ####", "+52 33 #### ####", "+52 81 #### ####", "+52 N## ### ####"],
            methods: [(.transfer, 0.85), (.card, 0.07), (.cash, 0.05), (.check, 0.03)], directDebitShare: 0
        ),
        CountryInfo(
            code: "ES", languages: [("es", 1)],
            timezones: [("Europe/Madrid", 0.95), ("Atlantic/Canary", 0.05)],
            tld: "es", publicTld: "es",
            legalForms: [("S.L.", 0.6), ("S.A.", 0.25), ("S.L.U.", 0.15)], commaBeforeLegal: 0.5,
            places: ["Levantina", "del Mediterráneo", "Cantábrica", "de Castilla", "Ibérica", "del Ebro", "Gallega", "Andaluza", "Madrileña", "Balear", "Astur", "del Duero"],
            cities: ["Valencia", "Sevilla", "Zaragoza", "Málaga", "Murcia", "Córdoba", "Valladolid", "Alicante", "Gijón", "Cádiz", "Logroño", "León"],
            publicTemplates: ["Ayuntamiento de %", "Diputación Provincial de %", "Universidad de %", "Hospital Universitario de %"],
            phoneFormats: ["+34 91 ### ## ##", "+34 93 ### ## ##", "+34 9N# ## ## ##", "+34 6## ### ###"],
            methods: [(.transfer, 0.8), (.card, 0.12), (.check, 0.05), (.cash, 0.03)], directDebitShare: 0.45
        ),
        CountryInfo(
            code: "FR", languages: [("fr", 1)],
            timezones: [("Europe/Paris", 1)],
            tld: "fr", publicTld: "fr",
            legalForms: [("SARL", 0.4), ("SAS", 0.35), ("SA", 0.1), ("EURL", 0.08), ("SASU", 0.07)], commaBeforeLegal: 0.1,
            places: ["du Rhône", "de Bretagne", "Provençale", "Normande", "d'Aquitaine", "Alsacienne", "du Midi", "de l'Ouest", "Savoyarde", "Lorraine", "du Val de Loire"],
            cities: ["Lyon", "Nantes", "Bordeaux", "Lille", "Rennes", "Grenoble", "Angers", "Dijon", "Nîmes", "Besançon", "Orléans", "Saint-Étienne"],
            publicTemplates: ["Mairie de %", "Centre hospitalier de %", "Université de %", "Communauté d'agglomération de %"],
            phoneFormats: ["+33 1 ## ## ## ##", "+33 N ## ## ## ##", "+33 6 ## ## ## ##"],
            methods: [(.transfer, 0.72), (.check, 0.15), (.card, 0.11), (.cash, 0.02)], directDebitShare: 0.4
        ),
        CountryInfo(
            code: "PT", languages: [("pt", 1)],
            timezones: [("Europe/Lisbon", 0.95), ("Atlantic/Azores", 0.05)],
            tld: "pt", publicTld: "pt",
            legalForms: [("Lda.", 0.65), ("S.A.", 0.2), ("Unipessoal Lda.", 0.15)], commaBeforeLegal: 0.5,
            places: ["Lusitana", "do Minho", "do Douro", "Algarvia", "Atlântica", "Ibérica", "Beirã", "do Tejo", "Transmontana"],
            cities: ["Braga", "Coimbra", "Aveiro", "Évora", "Faro", "Viseu", "Leiria", "Setúbal", "Guimarães"],
            publicTemplates: ["Câmara Municipal de %", "Universidade de %", "Hospital de %, E.P.E.", "Junta de Freguesia de %"],
            phoneFormats: ["+351 21 ### ####", "+351 22 ### ####", "+351 9N# ### ###"],
            methods: [(.transfer, 0.82), (.card, 0.1), (.check, 0.05), (.cash, 0.03)], directDebitShare: 0.35
        ),
        CountryInfo(
            code: "BR", languages: [("pt-BR", 1)],
            timezones: [("America/Sao_Paulo", 0.85), ("America/Recife", 0.1), ("America/Manaus", 0.05)],
            tld: "com.br", publicTld: "gov.br",
            legalForms: [("Ltda.", 0.6), ("S.A.", 0.2), ("EIRELI", 0.1), ("ME", 0.1)], commaBeforeLegal: 0.3,
            places: ["Paulista", "Carioca", "Mineira", "do Sul", "Nordeste", "da Amazônia", "Gaúcha", "Baiana", "do Cerrado", "Catarinense"],
            cities: ["Campinas", "Curitiba", "Recife", "Goiânia", "Belém", "Florianópolis", "São José dos Campos", "Uberlândia", "Maringá", "Niterói"],
            publicTemplates: ["Prefeitura Municipal de %", "Universidade Federal de %", "Secretaria Municipal de Saúde de %", "Câmara Municipal de %"],
            phoneFormats: ["+55 11 9####-####", "+55 21 9####-####", "+55 N1 ####-####"],
            methods: [(.transfer, 0.85), (.card, 0.1), (.cash, 0.05)], directDebitShare: 0
        ),
        CountryInfo(
            code: "GB", languages: [("en", 1)],
            timezones: [("Europe/London", 1)],
            tld: "co.uk", publicTld: "gov.uk",
            legalForms: [("Ltd", 0.7), ("Limited", 0.15), ("PLC", 0.08), ("LLP", 0.07)], commaBeforeLegal: 0.0,
            places: ["Thames Valley", "Pennine", "Cotswold", "Northumbrian", "Wessex", "Highland", "Solent", "Mercia", "Chiltern", "Fenland"],
            cities: ["Leeds", "Bristol", "Norwich", "Exeter", "York", "Reading", "Derby", "Bath", "Chester", "Durham"],
            publicTemplates: ["% City Council", "% Borough Council", "NHS % Trust", "University of %"],
            phoneFormats: ["+44 20 7946 0###", "+44 113 496 0###", "+44 161 496 0###"],
            methods: [(.transfer, 0.85), (.card, 0.1), (.check, 0.05)], directDebitShare: 0.4
        ),
        CountryInfo(
            code: "IE", languages: [("en", 1)],
            timezones: [("Europe/Dublin", 1)],
            tld: "ie", publicTld: "ie",
            legalForms: [("Ltd", 0.7), ("Limited", 0.2), ("DAC", 0.1)], commaBeforeLegal: 0.0,
            places: ["Shannon", "Liffey", "Atlantic", "Celtic", "Emerald", "Wicklow", "Connacht", "Munster"],
            cities: ["Cork", "Galway", "Limerick", "Kilkenny", "Wexford", "Sligo"],
            publicTemplates: ["% County Council", "% City Council", "University of %"],
            phoneFormats: ["+353 1 ### ####", "+353 21 ### ####", "+353 8N ### ####"],
            methods: [(.transfer, 0.85), (.card, 0.12), (.check, 0.03)], directDebitShare: 0.35
        ),
        CountryInfo(
            code: "CO", languages: [("es", 1)],
            timezones: [("America/Bogota", 1)],
            tld: "com.co", publicTld: "gov.co",
            legalForms: [("S.A.S.", 0.7), ("S.A.", 0.15), ("Ltda.", 0.15)], commaBeforeLegal: 0.3,
            places: ["Andina", "del Caribe", "Antioqueña", "del Valle", "Cafetera", "Bogotana", "Llanera", "del Pacífico", "Santandereana"],
            cities: ["Medellín", "Cali", "Barranquilla", "Cartagena", "Bucaramanga", "Pereira", "Manizales", "Cúcuta"],
            publicTemplates: ["Alcaldía de %", "Gobernación de %", "Universidad de %", "Empresas Públicas de %"],
            phoneFormats: ["+57 601 ### ####", "+57 604 ### ####", "+57 3## ### ####"],
            methods: [(.transfer, 0.85), (.card, 0.08), (.cash, 0.04), (.check, 0.03)], directDebitShare: 0
        ),
        CountryInfo(
            code: "CA", languages: [("en-CA", 0.75), ("fr-CA", 0.25)],
            timezones: [("America/Toronto", 0.75), ("America/Vancouver", 0.15), ("America/Edmonton", 0.1)],
            tld: "ca", publicTld: "ca",
            legalForms: [("Inc.", 0.5), ("Ltd.", 0.3), ("Corp.", 0.2)], commaBeforeLegal: 0.2,
            places: ["Maple Leaf", "Northern", "Laurentian", "Great Lakes", "Pacific Rim", "Prairie", "Boréal", "Maritime"],
            cities: ["Ottawa", "Hamilton", "Laval", "Québec", "Halifax", "Victoria"],
            publicTemplates: ["City of %", "Ville de %", "% Health Authority"],
            phoneFormats: ["+1 N## 555 01##"],
            methods: [(.transfer, 0.7), (.check, 0.15), (.card, 0.15)], directDebitShare: 0.2
        ),
        CountryInfo(
            code: "CL", languages: [("es-CL", 1)],
            timezones: [("America/Santiago", 1)],
            tld: "cl", publicTld: "gob.cl",
            legalForms: [("SpA", 0.5), ("S.A.", 0.3), ("Ltda.", 0.2)], commaBeforeLegal: 0.2,
            places: ["Austral", "del Pacífico", "Andina", "del Maule", "Patagónica", "Nortina"],
            cities: ["Valparaíso", "Concepción", "Temuco", "Antofagasta", "La Serena"],
            publicTemplates: ["Municipalidad de %", "Universidad de %", "Hospital Regional de %"],
            phoneFormats: ["+56 2 2### ####", "+56 9 #### ####"],
            methods: [(.transfer, 0.85), (.card, 0.1), (.check, 0.05)], directDebitShare: 0
        ),
    ]

    static func countryIndex(_ code: String) -> Int { countries.firstIndex { $0.code == code } ?? 0 }

    /// Where customers billed in a currency are based; currencies not listed fall back to a US/GB mix.
    static func countryMix(for currency: String) -> [(Int, Double)] {
        let mix: [(String, Double)]
        switch currency {
        case "USD": mix = [("US", 0.82), ("MX", 0.05), ("CO", 0.05), ("BR", 0.03), ("GB", 0.02), ("CA", 0.03)]
        case "EUR": mix = [("ES", 0.40), ("FR", 0.36), ("PT", 0.16), ("IE", 0.08)]
        case "MXN": mix = [("MX", 1)]
        case "GBP": mix = [("GB", 1)]
        case "BRL": mix = [("BR", 1)]
        case "COP": mix = [("CO", 1)]
        case "CAD": mix = [("CA", 1)]
        case "CLP": mix = [("CL", 1)]
        default: mix = [("US", 0.6), ("GB", 0.4)]
        }
        return mix.map { (countryIndex($0.0), $0.1) }
    }

    /// Rough number of major units per US dollar, so that a Mexican invoice is in pesos, not pesos-as-dollars.
    static func amountScale(for currency: String) -> Double {
        switch currency {
        case "USD", "EUR", "CHF": return 1
        case "GBP": return 0.8
        case "CAD": return 1.35
        case "MXN": return 17
        case "BRL": return 5
        case "COP": return 4000
        case "CLP": return 900
        case "JPY": return 150
        default: return 1
        }
    }
}

enum Words {
    static func surnames(_ l: Lang) -> [String] {
        switch l {
        case .es:
            return ["García", "Martínez", "López", "Hernández", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez", "Cruz", "Flores",
                    "Gómez", "Díaz", "Morales", "Vázquez", "Jiménez", "Ruiz", "Álvarez", "Núñez", "Muñoz", "Ortiz", "Castillo", "Romero",
                    "Herrera", "Medina", "Aguilar", "Mendoza", "Peña", "Ibáñez", "Domínguez", "Gutiérrez", "Suárez", "Quiñones",
                    "Castañeda", "Rivas", "Salazar", "Ochoa", "Fuentes", "Beltrán", "Zúñiga", "Carreño", "Montaño", "Villaseñor", "Treviño"]
        case .en:
            return ["Smith", "Johnson", "Williams", "Brown", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore",
                    "Martin", "Jackson", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "O'Brien", "O'Neill", "McAllister",
                    "Fitzgerald", "Whitaker", "Hartley", "Bennett", "Crawford", "Donovan", "Ellison", "Garrison", "Holloway", "Kendrick",
                    "Lockwood", "Prescott", "Radcliffe", "Sutherland", "Thornbury", "Underwood", "Wakefield"]
        case .fr:
            return ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
                    "Laurent", "Lefèvre", "Michel", "Garnier", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard",
                    "André", "Lefebvre", "Mercier", "Dupré", "Lemaître", "Chevalier", "Bonnet", "François", "Gauthier", "Caron",
                    "Fabre", "Noël", "Béranger", "Desjardins", "Giraud", "Perrin", "Clément", "Hébert"]
        case .pt:
            return ["Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes", "Costa",
                    "Ribeiro", "Martins", "Carvalho", "Araújo", "Melo", "Barbosa", "Rocha", "Magalhães", "Gonçalves", "Simões",
                    "Conceição", "Brandão", "Assunção", "Guimarães", "Fonseca", "Teixeira", "Moura", "Cardoso", "Monteiro", "Azevedo",
                    "Correia", "Antunes", "Valadares", "Sequeira"]
        }
    }

    static func prefixes(_ l: Lang) -> [String] {
        switch l {
        case .es:
            return ["Comercializadora", "Distribuidora", "Grupo", "Servicios Integrales", "Construcciones", "Transportes", "Industrias",
                    "Alimentos", "Ferretería", "Papelería", "Farmacias", "Consultores", "Laboratorios", "Importadora", "Inmobiliaria",
                    "Talleres", "Muebles", "Textiles", "Agropecuaria", "Logística", "Plásticos", "Aceros", "Climatización", "Ingeniería"]
        case .en:
            return ["Logistics", "Supply", "Industries", "Manufacturing", "Foods", "Healthcare", "Software", "Builders", "Electric",
                    "Analytics", "Freight", "Hardware", "Textiles", "Pharmaceuticals", "Consulting", "Energy", "Packaging", "Media",
                    "Labs", "Systems", "Dental Group", "Auto Parts", "Office Solutions", "Landscaping", "Medical Supply"]
        case .fr:
            return ["Transports", "Établissements", "Société", "Ateliers", "Menuiserie", "Laboratoires", "Imprimerie", "Garage",
                    "Cabinet", "Maison", "Pharmacie", "Fromagerie", "Électricité", "Bâtiment", "Boulangerie", "Charcuterie",
                    "Quincaillerie", "Plomberie", "Chaudronnerie", "Librairie", "Informatique", "Négoce"]
        case .pt:
            return ["Comércio de Alimentos", "Distribuidora", "Indústria", "Transportadora", "Construtora", "Farmácia", "Padaria",
                    "Serviços", "Metalúrgica", "Tecnologia", "Importadora", "Confecções", "Laticínios", "Conservas", "Auto Peças",
                    "Papelaria", "Móveis", "Engenharia", "Agropecuária", "Logística"]
        }
    }

    static func nicknames(_ l: Lang) -> [String] {
        switch l {
        case .es: return ["La Esperanza", "El Sol", "La Providencia", "El Ángel", "Los Pinos", "La Perla", "El Faro", "La Estrella"]
        case .en: return ["Big Sky", "Lucky Star", "Blue Moon", "Golden Spoon", "Red Barn", "Top Notch"]
        case .fr: return ["Le Petit Moulin", "La Belle Époque", "Au Bon Pain", "Le Chêne"]
        case .pt: return ["Boa Vista", "Estrela do Mar", "Sol Nascente", "Bom Jesus", "Pão de Açúcar"]
        }
    }

    static func genericPlaces(_ l: Lang) -> [String] {
        switch l {
        case .es: return ["Latina", "del Sol", "Continental", "Internacional", "Hispana", "del Valle"]
        case .en: return ["Continental", "National", "Global", "United", "American", "Allied"]
        case .fr: return ["Internationale", "Francophone", "Continentale", "du Nord", "Atlantique"]
        case .pt: return ["Internacional", "Continental", "Atlântica", "Lusófona", "do Brasil"]
        }
    }

    static func mailboxes(_ l: Lang) -> [String] {
        switch l {
        case .es: return ["cuentasporpagar", "pagos", "facturacion", "tesoreria", "contabilidad", "proveedores", "cxp"]
        case .en: return ["ap", "accounts.payable", "billing", "finance", "payables", "invoices", "accounting"]
        case .fr: return ["comptabilite", "fournisseurs", "compta", "facturation", "tresorerie", "factures"]
        case .pt: return ["financeiro", "contasapagar", "pagamentos", "contabilidade", "fornecedores", "faturamento"]
        }
    }

    static func months(_ l: Lang) -> [String] {
        switch l {
        case .en:
            return ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        case .es:
            return ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
        case .fr:
            return ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        case .pt:
            return ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"]
        }
    }

    // Cached copies: the per-language lists above are built once, not per call.
    static let surnameTable: [[String]] = [surnames(.es), surnames(.en), surnames(.fr), surnames(.pt)]
    static let prefixTable: [[String]] = [prefixes(.es), prefixes(.en), prefixes(.fr), prefixes(.pt)]
    static let nicknameTable: [[String]] = [nicknames(.es), nicknames(.en), nicknames(.fr), nicknames(.pt)]
    static let placeTable: [[String]] = [genericPlaces(.es), genericPlaces(.en), genericPlaces(.fr), genericPlaces(.pt)]
    static let mailboxTable: [[String]] = [mailboxes(.es), mailboxes(.en), mailboxes(.fr), mailboxes(.pt)]
    static let monthTable: [[String]] = [months(.es), months(.en), months(.fr), months(.pt)]
}

/// Company identity for one customer: display name and the bare domain its e-mail uses.
struct CompanyIdentity {
    var name: String
    var domain: String
    var email: String
    var phone: String
}

enum CompanyNamer {
    static func make(lang: Lang, country: CountryInfo, publicSector: Bool, rng: inout SplitMix64) -> CompanyIdentity {
        let l = Int(lang.rawValue)
        let surnames = Words.surnameTable[l]
        let native = Lang(tag: country.languages[0].0) == lang
        let places = native ? country.places : Words.placeTable[l]
        var name: String
        var domainWords: [String]
        var tld = country.tld

        if publicSector {
            let city = rng.pick(country.cities)
            name = rng.pick(country.publicTemplates).split(separator: "%", omittingEmptySubsequences: false).joined(separator: city)
            domainWords = [city]
            tld = country.publicTld
        } else {
            let legal = rng.pick(weighted: country.legalForms)
            let sep = rng.chance(country.commaBeforeLegal) && legal != "Co." && legal != "Corp." ? ", " : " "
            let s1 = rng.pick(surnames)
            var s2 = rng.pick(surnames)
            if s2 == s1 { s2 = surnames[(surnames.firstIndex(of: s1)! + 1) % surnames.count] }
            let prefix = rng.pick(Words.prefixTable[l])
            let place = rng.pick(places)
            let r = rng.unit()
            var core: String
            switch lang {
            case .en:
                if r < 0.40 { core = "\(s1) \(prefix)"; domainWords = [s1, prefix] }
                else if r < 0.70 { core = "\(place) \(prefix)"; domainWords = [place, prefix] }
                else if r < 0.85 { core = "\(s1) & \(s2)"; domainWords = [s1, s2] }
                else if r < 0.97 { core = "\(s1) & Sons"; domainWords = [s1, "sons"] }
                else { let n = rng.pick(Words.nicknameTable[l]); core = "\"\(n)\" \(prefix)"; domainWords = [n] }
            case .es:
                if r < 0.42 { core = "\(prefix) \(s1)"; domainWords = [prefix, s1] }
                else if r < 0.70 { core = "\(prefix) \(place)"; domainWords = [prefix, place] }
                else if r < 0.82 { core = "\(s1) y \(s2) Asociados"; domainWords = [s1, s2] }
                else if r < 0.94 { core = "Hermanos \(s1)"; domainWords = ["hnos", s1] }
                else { let n = rng.pick(Words.nicknameTable[l]); core = "\(prefix) \"\(n)\""; domainWords = [n] }
            case .fr:
                if r < 0.45 { core = "\(prefix) \(s1)"; domainWords = [prefix, s1] }
                else if r < 0.70 { core = "\(prefix) \(place)"; domainWords = [prefix, place] }
                else if r < 0.82 { core = "\(s1) & Fils"; domainWords = [s1, "fils"] }
                else if r < 0.95 { core = "\(prefix) \(s1) et \(s2)"; domainWords = [s1, s2] }
                else { let n = rng.pick(Words.nicknameTable[l]); core = "\(prefix) \"\(n)\""; domainWords = [n] }
            case .pt:
                if r < 0.42 { core = "\(prefix) \(s1)"; domainWords = [prefix, s1] }
                else if r < 0.70 { core = "\(prefix) \(place)"; domainWords = [prefix, place] }
                else if r < 0.84 { core = "\(s1) & \(s2)"; domainWords = [s1, s2] }
                else if r < 0.95 { core = "\(s1) Irmãos"; domainWords = [s1, "irmaos"] }
                else { let n = rng.pick(Words.nicknameTable[l]); core = "\(prefix) \"\(n)\""; domainWords = [n] }
            }
            name = core + sep + legal
        }

        let domainCore = domainWords.map(asciiSlug).joined(separator: rng.chance(0.3) ? "-" : "")
        let domain = (domainCore.isEmpty ? "empresa" : domainCore) + "." + tld
        let email = rng.pick(Words.mailboxTable[l]) + "@" + domain
        var phone = ""
        for ch in rng.pick(country.phoneFormats).unicodeScalars {
            switch ch {
            case "#": phone.unicodeScalars.append(Unicode.Scalar(UInt8(48 + rng.below(10))))
            case "N": phone.unicodeScalars.append(Unicode.Scalar(UInt8(50 + rng.below(8))))
            default: phone.unicodeScalars.append(ch)
            }
        }
        return CompanyIdentity(name: name, domain: domain, email: email, phone: phone)
    }
}
