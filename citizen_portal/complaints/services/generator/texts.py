"""The words the generator puts in people's mouths: names, phone prefixes and short texts.

Plain tuples, read in order: the generator picks from them with its own seeded random stream,
so the same seed always yields the same names and sentences.
"""

from __future__ import annotations

MALE_NAMES = (
    "Muhammad", "Ahmed", "Ali", "Hassan", "Hussain", "Usman", "Bilal", "Imran", "Kamran",
    "Faisal", "Zubair", "Asif", "Tariq", "Naveed", "Shahid", "Waqas", "Adnan", "Junaid", "Saad",
    "Hamza", "Abdullah", "Omar", "Farhan", "Irfan", "Khalid", "Rizwan", "Sajid", "Nadeem",
    "Yasir", "Zeeshan", "Arslan", "Danish", "Fahad", "Haris", "Jawad", "Moin", "Rashid",
    "Salman", "Talha", "Umer", "Ghulam", "Noor", "Sher", "Akbar", "Aslam",
)  # fmt: skip

FEMALE_NAMES = (
    "Ayesha", "Fatima", "Maryam", "Zainab", "Sana", "Hina", "Amna", "Sadia", "Rabia", "Nida",
    "Saima", "Bushra", "Farah", "Iqra", "Kiran", "Mahnoor", "Mehwish", "Nadia", "Rubina",
    "Samina", "Shazia", "Sidra", "Sobia", "Tahira", "Uzma", "Zara", "Aliya", "Bisma", "Hafsa",
    "Javeria", "Laiba", "Madiha", "Noreen", "Rida", "Sumaira", "Tayyaba", "Wajiha", "Yusra",
)  # fmt: skip

FAMILY_NAMES = (
    "Khan", "Ahmed", "Ali", "Hussain", "Shah", "Malik", "Qureshi", "Butt", "Chaudhry",
    "Sheikh", "Siddiqui", "Raza", "Abbasi", "Awan", "Baig", "Bhatti", "Cheema", "Durrani",
    "Gill", "Gondal", "Hashmi", "Iqbal", "Jamali", "Javed", "Kazmi", "Khattak", "Leghari",
    "Mirza", "Memon", "Niazi", "Rana", "Rajput", "Sadiq", "Soomro", "Tareen", "Warraich",
    "Yousafzai", "Zaidi", "Baloch", "Afridi", "Marri", "Bugti", "Jatoi", "Kakar", "Mengal",
)  # fmt: skip

# Pakistani mobile numbers are +92 3NN NNNNNNN; NN is the operator's code. Weights are rough
# market shares (Jazz, Telenor, Zong, Ufone); every code here is valid for libphonenumber.
PK_OPERATOR_CODES: tuple[tuple[range, float], ...] = (
    (range(0, 10), 0.22),  # Jazz 300–309
    (range(20, 30), 0.16),  # Jazz (ex-Warid) 320–329
    (range(40, 50), 0.25),  # Telenor 340–349
    (range(10, 19), 0.27),  # Zong 310–318
    (range(30, 38), 0.10),  # Ufone 330–337
)

# Overseas Pakistanis register with the number they have abroad: (country code, the mobile
# prefixes that follow it, digits after the prefix, weight).
FOREIGN_MOBILES: tuple[tuple[str, tuple[str, ...], int, float], ...] = (
    ("+971", ("50", "52", "54", "55", "56", "58"), 7, 0.40),  # United Arab Emirates
    ("+966", ("50", "53", "54", "55", "56", "58", "59"), 7, 0.35),  # Saudi Arabia
    ("+44", ("74", "75", "77", "78", "79"), 8, 0.25),  # United Kingdom
)

DETAILS_EN = (
    "This has been going on for three weeks.",
    "I have already visited the office twice without any result.",
    "Many families in our street are affected.",
    "Please look into it urgently.",
    "The staff at the counter asked me to come back next month.",
    "I have attached the receipt and my CNIC number.",
    "Elderly people and children are suffering the most.",
    "Nobody answers the helpline number.",
)

DETAILS_UR = (
    "یہ مسئلہ تین ہفتوں سے جاری ہے۔",
    "میں دو بار دفتر جا چکا ہوں مگر کوئی حل نہیں نکلا۔",
    "ہماری گلی کے کئی گھرانے متاثر ہیں۔",
    "براہ کرم فوری کارروائی کریں۔",
    "کاؤنٹر پر عملے نے اگلے مہینے آنے کو کہا۔",
    "بزرگ اور بچے سب سے زیادہ پریشان ہیں۔",
)

SUGGESTION_EN = "Suggestion: {}"
SUGGESTION_UR = "تجویز: {}"

RESOLUTION_REMARKS = (
    "Site inspected and the fault repaired.",
    "Bill corrected; the revised bill has been issued.",
    "Field team visited and resolved the matter.",
    "Record updated as requested by the complainant.",
    "Supply restored after the line was repaired.",
    "Application processed and the applicant informed by phone.",
    "Suggestion noted and forwarded to the planning wing.",
)

INFO_QUESTIONS = (
    "Please share your consumer or reference number.",
    "Please attach a copy of the latest bill.",
    "Please share the exact address or the nearest landmark.",
)

INFO_ANSWERS = (
    "Details attached as requested.",
    "The consumer number is in the attached bill.",
    "Address and landmark added.",
)

COMMENTS_SATISFIED = ("Thank you, the problem is solved.", "Quick response, thanks.", "", "")
COMMENTS_UNSATISFIED = (
    "Nothing has changed on the ground.",
    "The problem is still there.",
    "Marked resolved without any action.",
    "",
)

# Why an office or a focal person drops a complaint: the grounds an officer may choose
# (models.OFFICER_DROP_REASONS), each with an explanation for the citizen.
DROP_REASONS = (
    ("sub_judice", "The matter is pending before the civil court."),
    ("out_of_scope", "This is a private dispute between two parties."),
    ("abusive", "The complaint uses abusive language."),
)
INFO_TIMEOUT_REASON = "incomplete"
