"""The words of the recruitment demo: questions and marking guides, the sentences answers are built from,
names, and the weights that registrations and diversity answers are drawn with."""

from __future__ import annotations

from difference.people.models import AgeBand, Disability, EthnicGroup, Gender
from difference.recruitment.models import Decision, Exercise, Phase, Region, Setting

ELIGIBILITY = [
    "Do you hold qualified teacher status (QTS or QTLS), or will you by 1 September {year}?",
    "Do you have the right to work in the UK for the two years of the programme?",
]
# (competency, question, marking guide)
QUESTIONS = [
    (
        "Leadership of change",
        "Tell us about a time you led a change that colleagues had to adopt in their own practice. Why was the "
        "change needed, how did you bring people with you, and what difference did it make to pupils?",
        "5: explains why the change was needed from evidence about pupils; plans for resistance and responds to it; "
        "brings colleagues with them by modelling, coaching or shared ownership; shows measured impact on pupils, "
        "the most vulnerable included, and says what they would sustain or change.\n"
        "3: a clear example of leading colleagues, not only their own class; some thought about bringing people on "
        "board; impact described in general terms or without evidence.\n"
        "1: a change they took part in rather than led, or one confined to their own classroom; little sense of how "
        "colleagues responded; no account of impact on pupils.\n"
        "Score 2 or 4 for an answer between two descriptions.",
    ),
    (
        "Relationships with pupils at risk of exclusion",
        "Describe a pupil at risk of exclusion you have worked with (do not name them or their school). How did you "
        "build a relationship with them, what did you learn about what lay behind their behaviour, and what did you "
        "do with that understanding?",
        "5: treats behaviour as communication and looks for its causes (unmet SEND, trauma, home circumstances, gaps "
        "in learning); builds trust through consistency, warmth and high expectations; works with the family and "
        "other professionals; reflects honestly on what did and did not work.\n"
        "3: shows care and some curiosity about causes; describes practical steps to build the relationship and "
        "involves others, but the understanding of underlying needs is partial.\n"
        "1: describes the pupil mainly through sanctions or compliance; little curiosity about causes; the "
        "relationship is asserted rather than shown.\n"
        "Score 2 or 4 for an answer between two descriptions.",
    ),
    (
        "Resilience and reflection",
        "Tell us about a time something you were responsible for at school did not go to plan. How did you respond "
        "at the time, what did you learn about yourself, and what have you done differently since?",
        "5: takes ownership without defensiveness; managed their own response and supported others through it; "
        "draws a specific, honest lesson about themselves and shows how it has changed their practice; seeks "
        "feedback and support as a matter of course.\n"
        "3: owns the setback and reflects sensibly; the lessons are reasonable but general ('communicate more'); "
        "some evidence of change since.\n"
        "1: puts the setback down mainly to others or to circumstances; reflection is superficial; no lesson "
        "carried forward.\n"
        "Score 2 or 4 for an answer between two descriptions.",
    ),
    (
        "Subject and teaching expertise",
        "Pupils in alternative provision have often missed a great deal of school. From your own subject or phase, "
        "give a specific example of how you helped pupils with gaps in their learning to make rapid progress.",
        "5: precise about the gaps (found by assessment, not assumed) and about the teaching that closed them: "
        "sequencing, explicit instruction, retrieval practice, adapted resources; high expectations of what pupils "
        "can reach; evidence of progress; knows how they would help colleagues teach this way.\n"
        "3: a sound example of effective teaching with some diagnosis and adaptation; progress claimed with some "
        "evidence; the expertise is clear, its use with pupils who have large gaps less so.\n"
        "1: a generic account of teaching ('I differentiate'); no specific pupils, gaps or evidence; low or unclear "
        "expectations.\n"
        "Score 2 or 4 for an answer between two descriptions.",
    ),
]
# Sentences an answer is built from, by question: an opening, what the applicant did, what came of it.
ANSWER_PARTS = [
    (
        [
            "Two years ago our Year 9 attendance had fallen to 89% and the pupils missing most were those on our "
            "pastoral watch list.",
            "When I became head of department, homework completion was under half and staff had stopped setting it.",
            "Our behaviour policy relied on removal from lessons, and the same thirty pupils spent days in isolation.",
        ],
        [
            "I shared the data at a department meeting, asked colleagues what they saw behind it and agreed a "
            "six-week trial with the three most sceptical teachers leading it.",
            "I wrote short scripts for the first five minutes of each lesson, modelled them in my own classroom and "
            "coached two colleagues weekly until they felt confident.",
            "I set up a working group with pastoral staff and the SENCo, and we replaced removal with a same-day "
            "restorative conversation led by the class teacher.",
        ],
        [
            "By the summer, removals had halved and the pupils most often removed before were in lessons 14% more.",
            "Attendance for the watch-list group rose by six points over the year; not every colleague was "
            "persuaded, and next time I would involve them earlier.",
            "The change is now in our staff handbook, and I learned that a change lasts when others can explain it "
            "without me in the room.",
        ],
    ),
    (
        [
            "A Year 10 boy I taught had three fixed-term exclusions by October and was described by staff as defiant.",
            "A girl in my Year 8 tutor group was refusing to go to lessons and had been put on a reduced timetable.",
            "One pupil in my Year 6 class would leave the room whenever written work was set.",
        ],
        [
            "I met him at the gate each morning, kept every promise I made however small, and found out through his "
            "reading age that he could not access most of the work he was given.",
            "I asked her what a good day looked like, arranged a weekly check-in and worked with her mother and the "
            "educational psychologist on a plan she helped write.",
            "I noticed the pattern around writing, asked for a screening and used a scribe and sentence frames while "
            "we waited for the assessment.",
        ],
        [
            "He finished the year without a further exclusion; what I learned is that the behaviour was covering "
            "embarrassment, not defiance.",
            "She returned to a full timetable by February. I still wonder whether we would have acted sooner if she "
            "had been louder.",
            "The assessment found dyslexia; with the right support the leaving stopped, and I now look for unmet "
            "needs before I look for sanctions.",
        ],
    ),
    (
        [
            "The first parents' evening I organised as head of year had a turnout of under a third.",
            "I led the launch of a new Key Stage 3 curriculum that staff found overloaded within a term.",
            "A mock exam series I planned clashed with a trip, and half of one class missed a paper.",
        ],
        [
            "I was frustrated at first and blamed the timing, but I asked for feedback from families and from my "
            "line manager before deciding what to change.",
            "I owned the mistake at the next meeting, asked colleagues to tell me which units to cut and rewrote the "
            "sequence with them over the holiday.",
            "I apologised to the pupils and families affected, rescheduled the paper and set up a shared calendar so "
            "it could not happen again.",
        ],
        [
            "Since then I test plans with the people they affect before I launch them, and turnout the following "
            "year was 71%.",
            "I learned that I rush to fix things alone; I now build in a point to stop and ask for help.",
            "It taught me to check the detail as carefully as the vision, and to say early when something is going "
            "wrong.",
        ],
    ),
    (
        [
            "In my Year 11 maths intervention group, most pupils had not secured multiplication facts or place value.",
            "A group of Year 8 pupils joined us mid-year from a PRU with reading ages three years below their age.",
            "In my Year 5 class, six pupils had missed much of Year 3 during the pandemic and could not yet write in "
            "sentences.",
        ],
        [
            "I used a short diagnostic test to find the precise gaps, then taught them explicitly in small steps with "
            "daily retrieval practice at the start of each lesson.",
            "I planned with the English lead, pre-taught the vocabulary of each unit and used short, frequent "
            "quizzes so that pupils could see their own progress.",
            "I went back to sentence-level work with worked examples and shared writing, keeping the texts we read "
            "as demanding as the rest of the class's.",
        ],
        [
            "Nine of the twelve passed their maths GCSE, and I shared the approach with the department.",
            "Their reading ages rose by an average of eighteen months in two terms.",
            "By the summer all six were writing paragraphs independently, and two reached the expected standard.",
        ],
    ),
]
DRAFT_NOTE = "Still working on this: add the example from the spring term."

SIFT_ASSESSORS = [("Joanna", "Reid"), ("Kofi", "Asante"), ("Helen", "Tran"), ("Rupert", "Gill"), ("Sadia", "Karim")]
# Centre assessors never read the applications they see, so the centre has its own team.
CENTRE_ASSESSORS = [("Patrick", "Okoro"), ("Lucy", "Hammond"), ("Nasreen", "Malik"), ("Gavin", "Price")]
CENTRE_VENUES = ["The Difference, London", "Online", "Partner school, Manchester"]
CENTRE_COMPETENCIES = [
    (Exercise.INTERVIEW, "Leadership of change"),
    (Exercise.CASE_STUDY, "Relationships with pupils at risk of exclusion"),
    (Exercise.SAMPLE_LESSON, "Subject and teaching expertise"),
    (Exercise.SELF_EVALUATION, "Resilience and reflection"),
]
RATIONALES: dict[str, list[str]] = {
    Decision.OFFER: [
        "Strong across all four exercises; the sample lesson combined high expectations with warmth.",
        "Clear, evidence-led leadership of change and a thoughtful self-evaluation.",
        "Outstanding case study: looked for the causes of behaviour and involved the family throughout.",
    ],
    Decision.RESERVE: [
        "Good interview and lesson; the case study relied more on sanctions than on understanding needs.",
        "Promising throughout but less secure on leading colleagues; reserve for this round.",
    ],
    Decision.DECLINE: [
        "Sample lesson did not adapt to the gaps in pupils' learning; encouraged to reapply.",
        "Limited evidence of leading others; feedback offered on the interview.",
        "Self-evaluation did not reflect on the setbacks described; not ready for senior leadership in AP yet.",
    ],
}
WITHDRAWAL_REASONS = [
    "Accepted a promotion at their current school",
    "Family circumstances",
    "Decided to wait a year before applying again",
    "Could not be released by their school",
]

FIRST_NAMES = [
    "Abena", "Adam", "Aleksandra", "Ali", "Amelia", "Anjali", "Ayo", "Bethan", "Bilal", "Caitlin", "Carlos",
    "Charlotte", "Chidi", "Claire", "Connor", "Daniel", "Darius", "Eleanor", "Ella", "Eoin", "Farah", "Femi",
    "Georgia", "Harriet", "Harvey", "Ife", "Jack", "Jade", "James", "Jasmine", "Jasvir", "Katie", "Kieran",
    "Laura", "Lauren", "Lucy", "Mariam", "Matthew", "Megan", "Mohammed", "Naomi", "Nathan", "Nia", "Oliver",
    "Olivia", "Rachel", "Rebecca", "Rhys", "Rukhsana", "Ruth", "Sarah", "Shanice", "Simran", "Sophie", "Stefan",
    "Tariq", "Thomas", "Tom", "Yasmin", "Zainab",
]  # fmt: skip
LAST_NAMES = [
    "Ali", "Akhtar", "Appiah", "Baker", "Bailey", "Begum", "Bell", "Clarke", "Coleman", "Cooper", "Dhillon",
    "Edwards", "Francis", "Green", "Griffiths", "Hall", "Harris", "Hughes", "Igwe", "Iqbal", "Jackson", "James",
    "Johnson", "Jones", "Khan", "Kowalski", "Lee", "Martin", "Mitchell", "Morgan", "Murphy", "Nowak", "Obi",
    "Okafor", "Owusu", "Parker", "Phillips", "Rahman", "Reid", "Roberts", "Sandhu", "Shah", "Shaw", "Smith",
    "Taylor", "Turner", "Walker", "Ward", "Watson", "White", "Williams", "Wilson", "Wood", "Wright", "Young",
]  # fmt: skip

# Registration answers, weighted roughly as English teachers who might move into AP would give them.
SETTINGS = [(Setting.MAINSTREAM, 78), (Setting.AP, 11), (Setting.SPECIAL, 7), (Setting.OTHER, 4)]
PHASES = [(Phase.SECONDARY, 66), (Phase.PRIMARY, 22), (Phase.ALL_THROUGH, 7), (Phase.POST_16, 5)]
REGIONS = [
    (Region.LONDON, 30), (Region.SOUTH_EAST, 12), (Region.NORTH_WEST, 12), (Region.WEST_MIDLANDS, 10),
    (Region.YORKSHIRE, 9), (Region.EAST, 8), (Region.SOUTH_WEST, 7), (Region.EAST_MIDLANDS, 7),
    (Region.NORTH_EAST, 5),
]  # fmt: skip
SUBJECTS = [
    "English", "Mathematics", "Science", "History", "Geography", "Computing", "Art and design", "Physical education",
    "Religious education", "Modern foreign languages", "Design and technology", "Music", "Drama", "Psychology",
]  # fmt: skip
ROLES = {
    Phase.SECONDARY: [
        "Teacher of {subject}", "Head of {subject}", "Second in {subject}", "Head of Year 9", "Head of Year 10",
        "Pastoral lead (Key Stage 4)", "Lead practitioner", "SENCo", "Assistant SENCo",
    ],
    Phase.PRIMARY: ["Class teacher (Year 4)", "Year 6 teacher and maths lead", "Phase leader (Key Stage 2)",
                    "Inclusion lead", "SENCo", "Reading lead"],
    Phase.ALL_THROUGH: ["Teacher of {subject}", "Head of Key Stage 3", "Inclusion lead"],
    Phase.POST_16: ["Lecturer in {subject}", "Head of sixth form", "Progress tutor"],
}  # fmt: skip
AP_ROLES = ["Teacher (pupil referral unit)", "Key Stage 4 lead", "Outreach teacher", "Reintegration lead"]
# Diversity answers; blank means the question was left unanswered.
GENDERS = [
    (Gender.WOMAN, 67), (Gender.MAN, 27), (Gender.NON_BINARY, 1), (Gender.SELF_DESCRIBED, 1),
    (Gender.PREFER_NOT_TO_SAY, 2), ("", 2),
]  # fmt: skip
ETHNIC_GROUPS = [
    (EthnicGroup.WHITE, 69), (EthnicGroup.ASIAN, 10), (EthnicGroup.BLACK, 9), (EthnicGroup.MIXED, 5),
    (EthnicGroup.OTHER, 2), (EthnicGroup.PREFER_NOT_TO_SAY, 3), ("", 2),
]  # fmt: skip
DISABILITIES = [(Disability.NO, 84), (Disability.YES, 8), (Disability.PREFER_NOT_TO_SAY, 5), ("", 3)]
AGE_BANDS = [
    (AgeBand.UNDER_25, 5), (AgeBand.AGE_25_34, 45), (AgeBand.AGE_35_44, 32), (AgeBand.AGE_45_54, 12),
    (AgeBand.AGE_55_PLUS, 2), (AgeBand.PREFER_NOT_TO_SAY, 2), ("", 2),
]  # fmt: skip


READING_COMMENTS = {
    1: "Describes the situation but not what the applicant did.",
    2: "Some relevant action; little about colleagues or about impact on pupils.",
    3: "A clear example; impact asserted rather than evidenced.",
    4: "Well evidenced; could say more about what they would do differently.",
    5: "Specific, reflective and evidenced throughout.",
}
