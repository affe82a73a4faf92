//! Demo participatory budget for Херсонська громада: two cycles.
//!
//! - The current one ("choose up to 3", ₴ 3 000 000), whose dates are set from the seeding
//!   day so that it is in its voting phase: accepted projects in many categories, some with
//!   images, one with a cost staff changed, one rejected with a reason, one by the demo
//!   resident with changes requested, and ballots of generated voters (the verified demo
//!   resident has not voted, so they can).
//! - Last year's ("fit the budget", ₴ 2 500 000), entirely in the past: a few hundred
//!   ballots, so the results show a project skipped because it did not fit and a cheaper
//!   one below it funded; the funded projects have milestones and progress.
//!
//! Generated voters (`voter001@demo.example` …) are verified residents who cannot sign in.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use hromada_api::budget::{
    CostAdjustment, CostLine, CycleDates, CycleDraft, Implementation, Milestone, NewProject,
    Review, VotingRule,
};
use hromada_api::news::NewsCategory;
use hromada_api::time::format_date;
use hromada_api::workdays::{kyiv_day, kyiv_midnight};

use crate::db::{Db, NewUser, UserRow};
use crate::demo::DEMO_HROMADA;
use crate::demo_petitions::signer_name;
use crate::domain::accounts::Account;
use crate::domain::appeals::{FULL_SIDE, THUMB_SIDE};
use crate::domain::budget::seed;
use crate::domain::{clock, ids, media};
use crate::error::{ApiError, ApiResult};

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;
/// How many generated voters there are.
pub const VOTERS: usize = 320;
/// How many of them voted in the current cycle so far.
pub const CURRENT_VOTERS: usize = 150;
/// A password hash no password matches: generated voters cannot sign in.
const UNUSABLE: &str = "!demo-voter-cannot-sign-in";

/// A demo project: category, title, description, address, cost lines, and the picture
/// variant of its image (none for `None`).
struct Demo {
    category: &'static str,
    title: &'static str,
    description: &'static str,
    address: &'static str,
    lines: &'static [(&'static str, i64)],
    image: Option<u32>,
}

const fn demo(
    category: &'static str,
    title: &'static str,
    description: &'static str,
    address: &'static str,
    lines: &'static [(&'static str, i64)],
    image: Option<u32>,
) -> Demo {
    Demo {
        category,
        title,
        description,
        address,
        lines,
        image,
    }
}

/// The accepted projects of the current cycle, with their popularity (weight of votes).
const CURRENT: &[(Demo, u32)] = &[
    (
        demo(
            "education",
            "Сучасний STEM-клас у ліцеї № 20",
            "Облаштувати в ліцеї клас для уроків природничих наук, робототехніки та \
             програмування. Учні зможуть збирати роботів, друкувати моделі на 3D-принтері \
             й готуватися до олімпіад. Клас відкритий і для гуртків вихідного дня.",
            "вул. Перекопська, 167",
            &[
                ("Інтерактивна панель 86″", 120_000),
                ("Набори з робототехніки (12 шт.)", 180_000),
                ("3D-принтер і витратні матеріали", 65_000),
                ("Лабораторні меблі", 95_000),
            ],
            Some(0),
        ),
        9,
    ),
    (
        demo(
            "education",
            "Ресурсна кімната для дітей з особливими освітніми потребами",
            "Створити в гімназії № 3 сенсорну кімнату та простір для занять з корекційними \
             педагогами. Зараз діти з особливими потребами займаються у звичайному класі без \
             потрібного обладнання.",
            "вул. Лютеранська, 30",
            &[
                ("Обладнання сенсорної кімнати", 210_000),
                ("Ремонт приміщення", 140_000),
                ("Навчання фахівців", 40_000),
            ],
            None,
        ),
        5,
    ),
    (
        demo(
            "health",
            "Автоматичні дефібрилятори в людних місцях",
            "Встановити вісім автоматичних дефібриляторів у захисних шафах на ринку, вокзалі, \
             біля Палацу культури та в парках. Перші хвилини після зупинки серця вирішальні, \
             а швидка не завжди встигає. Волонтери пройдуть навчання з першої допомоги.",
            "Центральний ринок, залізничний вокзал, Палац культури",
            &[
                ("Дефібрилятори AED (8 шт.)", 360_000),
                ("Захисні шафи з підігрівом", 96_000),
                ("Навчання першої допомоги", 44_000),
            ],
            Some(1),
        ),
        8,
    ),
    (
        demo(
            "health",
            "Кабінет психологічної підтримки для ветеранів і їхніх родин",
            "Облаштувати кабінет, де ветерани та їхні близькі безкоштовно отримають допомогу \
             психолога. Проєкт покриває ремонт, меблі й оплату роботи фахівця протягом шести \
             місяців.",
            "вул. Університетська, 27",
            &[
                ("Ремонт і облаштування кабінету", 160_000),
                ("Меблі та обладнання", 85_000),
                ("Робота психолога (6 місяців)", 210_000),
            ],
            None,
        ),
        7,
    ),
    (
        demo(
            "culture",
            "Літній кінотеатр просто неба в Шевченківському парку",
            "Щосуботи з червня по вересень показувати в парку українські фільми та \
             мультфільми для дітей. Обладнання мобільне: його можна використати й на \
             міських святах.",
            "Шевченківський парк",
            &[
                ("Проєкційний екран і проєктор", 240_000),
                ("Звукове обладнання", 130_000),
                ("Мобільні лавки (60 місць)", 90_000),
            ],
            Some(0),
        ),
        6,
    ),
    (
        demo(
            "culture",
            "Оцифрування фондів краєзнавчого музею",
            "Відсканувати документи, фотографії та мапи з фондів музею, які пережили \
             окупацію, і відкрити віртуальну експозицію. Цифрові копії збережуть історію \
             Херсона, навіть якщо оригінали постраждають.",
            "вул. Соборна, 9",
            &[
                ("Планетарний сканер", 310_000),
                ("Сервер і резервне копіювання", 120_000),
                ("Сайт віртуальної експозиції", 95_000),
            ],
            None,
        ),
        3,
    ),
    (
        demo(
            "sport",
            "Вуличний тренажерний майданчик на Шуменському",
            "Встановити десять тренажерів на безпечному гумовому покритті біля житлових \
             будинків. Майданчик буде безкоштовним і відкритим цілодобово, з освітленням \
             увечері.",
            "вул. Бериславське шосе, 11",
            &[
                ("Тренажери (10 шт.)", 290_000),
                ("Гумове покриття 200 м²", 180_000),
                ("Монтаж і огорожа", 75_000),
            ],
            Some(2),
        ),
        7,
    ),
    (
        demo(
            "sport",
            "Нове покриття баскетбольного майданчика біля школи № 54",
            "Старе асфальтове покриття майданчика потріскалося, діти травмуються. Пропонуємо \
             покласти поліуретанове покриття, замінити щити й кільця та поставити сітку \
             навколо.",
            "вул. Поповича, 34",
            &[
                ("Поліуретанове покриття 420 м²", 330_000),
                ("Щити та кільця", 48_000),
                ("Розмітка і сітка-огорожа", 62_000),
            ],
            None,
        ),
        4,
    ),
    (
        demo(
            "environment",
            "Сквер «Надія» на Таврійському",
            "Перетворити пустир між будинками на сквер з доріжками, лавками й освітленням. \
             Мешканці вже домовилися доглядати за деревами, які висадять навесні.",
            "просп. 200-річчя Херсона, 12",
            &[
                ("Лавки та урни", 96_000),
                ("Світлодіодне освітлення доріжок", 180_000),
                ("Дерева й кущі (120 саджанців)", 84_000),
                ("Доріжки з бруківки", 260_000),
            ],
            Some(1),
        ),
        8,
    ),
    (
        demo(
            "environment",
            "Пункт роздільного збору вторсировини",
            "Облаштувати під навісом пункт, куди мешканці зможуть здавати пластик, скло, папір \
             і батарейки. Вторсировину забиратиме підприємство-переробник за договором з \
             громадою.",
            "вул. Миколаївське шосе, 16",
            &[
                ("Контейнери для сортування (20 шт.)", 150_000),
                ("Навіс і майданчик", 110_000),
                ("Інформаційні стенди", 20_000),
            ],
            None,
        ),
        3,
    ),
    (
        demo(
            "transport",
            "Велопарковки біля шкіл і ЦНАПу",
            "Поставити 25 велостійок із навісами біля шкіл, ЦНАПу та поліклініки. Діти й \
             дорослі частіше їздитимуть велосипедом, якщо буде де безпечно його залишити.",
            "Центральний район, 9 адрес",
            &[
                ("Велостійки (25 шт.)", 95_000),
                ("Навіси над велопарковками", 85_000),
            ],
            None,
        ),
        4,
    ),
    (
        demo(
            "transport",
            "Зупинка з пандусом і табло прибуття на проспекті Ушакова",
            "Замінити стару зупинку на павільйон з пандусом, тактильною плиткою й електронним \
             табло прибуття транспорту. Табло озвучуватиме номер маршруту для людей з \
             порушеннями зору.",
            "просп. Ушакова, 47",
            &[
                ("Павільйон зупинки", 210_000),
                ("Електронне табло", 140_000),
                ("Пандус і тактильна плитка", 70_000),
            ],
            Some(0),
        ),
        5,
    ),
    (
        demo(
            "safety",
            "Освітлення пішохідних переходів біля шкіл",
            "Встановити прожектори над шістьма переходами біля шкіл і світлодіодні знаки \
             «Пішохідний перехід». Узимку діти йдуть до школи ще затемна, і водії їх не \
             бачать.",
            "вул. Перекопська, вул. Суворова, вул. Поповича",
            &[
                ("Прожектори над переходами (6 шт.)", 270_000),
                ("Знаки зі світлодіодами", 120_000),
                ("Монтаж і підключення", 60_000),
            ],
            None,
        ),
        6,
    ),
    (
        demo(
            "safety",
            "Укриття в гімназії № 16",
            "Дообладнати підвал гімназії під найпростіше укриття: вентиляція, освітлення, \
             запас води й аптечки, нові вхідні двері. Під час тривоги тут зможуть перебувати \
             учні та мешканці сусідніх будинків.",
            "вул. Дніпровська, 5",
            &[
                ("Вентиляція", 190_000),
                ("Електрика і освітлення", 120_000),
                ("Лавки, вода, аптечки", 60_000),
                ("Вхідна група і двері", 150_000),
            ],
            Some(1),
        ),
        9,
    ),
    (
        demo(
            "social",
            "Соціальна перукарня для людей похилого віку",
            "Облаштувати в територіальному центрі перукарню, де пенсіонери й люди з \
             інвалідністю стригтимуться безкоштовно. Майстри-волонтери вже готові працювати \
             двічі на тиждень.",
            "вул. Патона, 4",
            &[
                ("Обладнання і крісла", 85_000),
                ("Витратні матеріали на рік", 40_000),
            ],
            None,
        ),
        3,
    ),
    (
        demo(
            "social",
            "Пральня і душ для внутрішньо переміщених осіб",
            "У гуртожитку, де живуть переселенці, немає де випрати одяг. Пропонуємо \
             облаштувати пральню з чотирма машинами й душові з бойлером.",
            "вул. Університетська, 5",
            &[
                ("Пральні й сушильні машини (4 шт.)", 180_000),
                ("Душові кабіни і бойлер", 120_000),
                ("Ремонт приміщення", 160_000),
            ],
            Some(2),
        ),
        4,
    ),
    (
        demo(
            "other",
            "Безкоштовний Wi-Fi у парках",
            "Встановити точки доступу в парку Слави та сквері Шуменського. Під час відключень \
             світла люди зможуть зв'язатися з рідними: точки живляться від акумуляторів.",
            "парк Слави, сквер Шуменського",
            &[
                ("Точки доступу з акумуляторами (14 шт.)", 98_000),
                ("Монтаж і кабелі", 54_000),
                ("Підключення на рік", 36_000),
            ],
            None,
        ),
        2,
    ),
];

/// The index in [`CURRENT`] of the project whose cost staff changed, the new cost and why.
const CURRENT_ADJUSTED: (usize, i64, &str) = (
    11,
    380_000,
    "Вартість табло зменшено за результатами ринкових консультацій у Prozorro: аналогічне \
     табло коштує 100 000 грн.",
);

const REJECTED: Demo = demo(
    "culture",
    "Світломузичний фонтан на площі Свободи",
    "Збудувати на площі Свободи фонтан з підсвіткою і музикою, як у великих європейських \
     містах. Фонтан стане місцем зустрічей і прикрасою центру.",
    "площа Свободи",
    &[
        ("Чаша фонтана і насосне обладнання", 560_000),
        ("Підсвітка і музичний супровід", 320_000),
    ],
    None,
);

const REJECTED_REASON: &str = "Ділянка на площі Свободи не належить громаді, а утримання \
     фонтана (вода й електроенергія) не може фінансуватися з громадського бюджету. Пропонуємо \
     подати проєкт наступного року разом з управлінням благоустрою.";

/// The demo resident's project, with changes requested.
const RESIDENTS: Demo = demo(
    "environment",
    "Дитячий майданчик у дворі на вулиці Соборній",
    "У нашому дворі немає жодного дитячого майданчика, діти граються на парковці. \
     Пропонуємо встановити гойдалки, гірку, пісочницю і лавки для батьків.",
    "вул. Соборна, 12",
    &[
        ("Гойдалки та гірка", 140_000),
        ("Пісочниця і лавки", 45_000),
    ],
    None,
);

const RESIDENTS_NOTE: &str = "Додайте, будь ласка, до кошторису безпечне гумове покриття під \
     гойдалками (воно обов'язкове за ДБН) і вкажіть номери будинків, між якими буде майданчик.";

/// Last year's accepted projects with their votes, in rank order: the fourth does not fit
/// in what is left after the first three, the fifth (cheaper) does.
const PAST: &[(Demo, u32)] = &[
    (
        demo(
            "sport",
            "Ремонт спортивної зали школи № 27",
            "Замінити підлогу, вікна й освітлення у спортивній залі, якою користуються школа \
             та секції району. Зала не ремонтувалася з 1985 року.",
            "вул. Бориса Лавреньова, 11",
            &[
                ("Спортивна підлога", 420_000),
                ("Енергоощадні вікна", 260_000),
                ("Світлодіодне освітлення", 170_000),
            ],
            Some(2),
        ),
        210,
    ),
    (
        demo(
            "safety",
            "Освітлення набережної від Річкового вокзалу до парку Слави",
            "Встановити 40 світлодіодних ліхтарів уздовж набережної. Увечері там гуляють \
             сотні людей, а освітлення майже немає.",
            "набережна, від Річкового вокзалу до парку Слави",
            &[("Ліхтарі (40 шт.)", 380_000), ("Кабель і монтаж", 240_000)],
            Some(1),
        ),
        180,
    ),
    (
        demo(
            "health",
            "Пандуси і підйомник у дитячій поліклініці № 2",
            "Облаштувати пандус біля входу та вертикальний підйомник на другий поверх, де \
             приймають вузькі спеціалісти. Батьки з візками і діти на кріслах колісних зможуть \
             потрапити до лікаря без сторонньої допомоги.",
            "вул. Ярослава Мудрого, 22",
            &[("Пандус", 130_000), ("Вертикальний підйомник", 350_000)],
            None,
        ),
        150,
    ),
    (
        demo(
            "culture",
            "Реконструкція літньої сцени в сквері Шуменського",
            "Відновити зруйновану літню сцену: новий дах, підлога, гримерки та освітлення. \
             Тут знову відбуватимуться концерти місцевих колективів.",
            "сквер Шуменського",
            &[
                ("Дах і конструкції сцени", 460_000),
                ("Гримерки", 190_000),
                ("Сценічне освітлення", 170_000),
            ],
            Some(0),
        ),
        120,
    ),
    (
        demo(
            "education",
            "Комп'ютерний клас у бібліотеці імені Олеся Гончара",
            "Обладнати в бібліотеці клас на 12 комп'ютерів. Тут проходитимуть курси цифрової \
             грамотності для людей похилого віку й підготовка школярів до НМТ.",
            "вул. Університетська, 2",
            &[
                ("Комп'ютери (12 шт.)", 300_000),
                ("Меблі", 60_000),
                ("Мережа й ліцензії", 30_000),
            ],
            None,
        ),
        95,
    ),
    (
        demo(
            "environment",
            "Зона відпочинку біля озера на Острові",
            "Облаштувати біля озера дерев'яний настил, альтанки й урни. Зараз берег \
             захаращений, хоча мешканці охоче там відпочивають.",
            "мікрорайон Острів, біля озера",
            &[("Настил і альтанки", 180_000), ("Урни та лавки", 60_000)],
            None,
        ),
        80,
    ),
    (
        demo(
            "transport",
            "Велостоянки біля ринків",
            "Встановити велостоянки біля Центрального, Суворовського та Шуменського ринків, \
             щоб покупці могли безпечно залишити велосипед. Зараз велосипеди пристібають до \
             дерев і парканів.",
            "Центральний, Суворовський і Шуменський ринки",
            &[("Велостоянки (30 місць)", 110_000), ("Монтаж", 40_000)],
            None,
        ),
        60,
    ),
    (
        demo(
            "social",
            "Клуб дозвілля для людей похилого віку",
            "Відремонтувати приміщення в будинку культури та обладнати клуб з бібліотекою, \
             настільними іграми й заняттями для людей старшого віку. Заняття вестимуть \
             волонтери та працівники територіального центру.",
            "вул. Бериславське шосе, 5",
            &[("Ремонт приміщення", 220_000), ("Меблі та ігри", 90_000)],
            None,
        ),
        45,
    ),
    (
        demo(
            "other",
            "Зарядні станції на сонячних панелях у парках",
            "Поставити в парках шість лавок із сонячними панелями, де можна заряджати \
             телефони під час відключень світла. Уночі панелі живитимуть і підсвітку алей.",
            "парк Слави, Шевченківський парк",
            &[("Лавки з панелями (6 шт.)", 96_000), ("Монтаж", 24_000)],
            None,
        ),
        30,
    ),
    (
        demo(
            "sport",
            "Шаховий майданчик просто неба",
            "Встановити в сквері столи для шахів і шашок під навісом. Шаховий клуб проводитиме \
             тут відкриті турніри щонеділі.",
            "сквер біля Палацу культури",
            &[("Столи з навісом (8 шт.)", 75_000), ("Покриття", 20_000)],
            None,
        ),
        20,
    ),
];

/// The index in [`PAST`] of the project whose cost staff lowered before voting, and the cost.
const PAST_ADJUSTED: (usize, i64, &str) = (
    3,
    780_000,
    "Гримерки будуть з модульних конструкцій, дешевших за кошторис автора.",
);

/// Progress and milestones of last year's funded projects, by index in [`PAST`]:
/// `(progress, [(title, days after implementation began, done)])`.
type Plan = (u8, &'static [(&'static str, i64, bool)]);
const PAST_PLANS: &[(usize, Plan)] = &[
    (
        0,
        (
            100,
            &[
                ("Проєктно-кошторисна документація", 20, true),
                ("Закупівля в Prozorro", 50, true),
                ("Ремонтні роботи", 120, true),
                ("Відкриття зали", 140, true),
            ],
        ),
    ),
    (
        1,
        (
            70,
            &[
                ("Закупівля ліхтарів", 30, true),
                ("Прокладання кабелю", 90, true),
                ("Монтаж ліхтарів", 160, false),
            ],
        ),
    ),
    (
        2,
        (
            45,
            &[
                ("Проєкт і погодження", 40, true),
                ("Пандус", 100, true),
                ("Підйомник", 200, false),
                ("Введення в експлуатацію", 230, false),
            ],
        ),
    ),
    (
        4,
        (
            100,
            &[
                ("Закупівля комп'ютерів", 30, true),
                ("Відкриття класу", 60, true),
            ],
        ),
    ),
    (
        6,
        (
            20,
            &[("Закупівля", 40, true), ("Монтаж велостоянок", 150, false)],
        ),
    ),
];

fn voter_email(i: usize) -> String {
    format!("voter{:03}@demo.example", i + 1)
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn new_project(d: &Demo) -> NewProject {
    let cost_lines: Vec<CostLine> = d
        .lines
        .iter()
        .map(|(item, amount)| CostLine {
            item: (*item).to_owned(),
            amount: *amount,
        })
        .collect();
    NewProject {
        title: d.title.to_owned(),
        description: clean(d.description),
        category: d.category.to_owned(),
        address: d.address.to_owned(),
        total: cost_lines.iter().map(|l| l.amount).sum(),
        cost_lines,
    }
}

/// The colours of a project's picture: those of the nearest news category.
fn palette(category: &str) -> NewsCategory {
    match category {
        "education" => NewsCategory::Education,
        "health" => NewsCategory::Health,
        "culture" => NewsCategory::Culture,
        "sport" => NewsCategory::Economy,
        "environment" => NewsCategory::Utilities,
        "transport" => NewsCategory::Transport,
        "safety" => NewsCategory::Safety,
        "social" => NewsCategory::Social,
        _ => NewsCategory::Official,
    }
}

type Encoded = Arc<(Vec<u8>, Vec<u8>)>;

/// A project's picture as stored (full size and thumbnail), made once per process (tests
/// load the demo many times).
async fn picture(category: &str, variant: u32) -> ApiResult<Encoded> {
    static CACHE: OnceLock<Mutex<HashMap<(NewsCategory, u32), Encoded>>> = OnceLock::new();
    let c = palette(category);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(e) = cache
        .lock()
        .ok()
        .and_then(|m| m.get(&(c, variant)).cloned())
    {
        return Ok(e);
    }
    let seed = c as u32 * 11 + variant + 101;
    let encoded = tokio::task::spawn_blocking(move || -> ApiResult<(Vec<u8>, Vec<u8>)> {
        let img = crate::demo_news::cover(c, seed);
        let (_, _, main) = media::encode_fit(&img, FULL_SIDE)?;
        let (_, _, thumb) = media::encode_fit(&img, THUMB_SIDE)?;
        Ok((main, thumb))
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    let encoded = Arc::new(encoded);
    if let Ok(mut m) = cache.lock() {
        m.insert((c, variant), encoded.clone());
    }
    Ok(encoded)
}

async fn images(d: &Demo) -> ApiResult<Vec<(Vec<u8>, Vec<u8>)>> {
    match d.image {
        Some(v) => {
            let e = picture(d.category, v).await?;
            Ok(vec![(e.0.clone(), e.1.clone())])
        }
        None => Ok(Vec::new()),
    }
}

/// Makes the generated voters that are missing; returns all of them.
async fn voters(db: &Db, since_ms: i64) -> ApiResult<Vec<UserRow>> {
    let streets = [
        "вул. Соборна",
        "просп. Ушакова",
        "вул. Перекопська",
        "вул. Поповича",
        "вул. Бериславське шосе",
        "вул. Лютеранська",
    ];
    let users: Vec<NewUser> = (0..VOTERS)
        .map(|i| NewUser {
            id: ids::new_id(),
            email: voter_email(i),
            password_hash: UNUSABLE.to_owned(),
            full_name: signer_name(crate::demo_petitions::SIGNERS + i),
            address: format!(
                "{}, {}, кв. {}, м. Херсон",
                streets[i % streets.len()],
                2 + (i * 11) % 140,
                1 + (i * 17) % 80
            ),
            hromada: DEMO_HROMADA.to_owned(),
            created_at: clock::rfc3339(since_ms + i as i64 * 60_000),
        })
        .collect();
    db.insert_verified_users(&users).await?;
    let mut out = Vec::with_capacity(VOTERS);
    for i in 0..VOTERS {
        out.push(
            db.user_by_email(&voter_email(i))
                .await?
                .ok_or_else(|| ApiError::Internal(format!("demo voter {i} missing")))?,
        );
    }
    Ok(out)
}

/// A small deterministic generator (xorshift), so that the demo is the same every time.
struct Dice(u32);

impl Dice {
    fn next(&mut self, m: u32) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0 % m.max(1)
    }

    /// An index drawn by `weights`, among those not in `taken`.
    fn pick(&mut self, weights: &[u32], taken: &[usize]) -> Option<usize> {
        let free: u32 = weights
            .iter()
            .enumerate()
            .filter(|(i, _)| !taken.contains(i))
            .map(|(_, w)| *w)
            .sum();
        if free == 0 {
            return None;
        }
        let mut r = self.next(free);
        for (i, w) in weights.iter().enumerate() {
            if taken.contains(&i) {
                continue;
            }
            if r < *w {
                return Some(i);
            }
            r -= w;
        }
        None
    }
}

/// Selections of "choose up to `max`" for `voters` people: 1 to `max` projects each,
/// drawn by popularity.
fn choose_ballots(weights: &[u32], voters: usize, max: usize) -> Vec<Vec<usize>> {
    let mut dice = Dice(2_463_534_242);
    (0..voters)
        .map(|_| {
            let k = 1 + dice.next(max as u32) as usize;
            let mut picked = Vec::new();
            while picked.len() < k {
                match dice.pick(weights, &picked) {
                    Some(i) => picked.push(i),
                    None => break,
                }
            }
            picked
        })
        .collect()
}

/// Selections of "fit the budget" giving each project exactly `votes[i]` votes, each
/// selection within `total`: projects are handed out most expensive first, each to the
/// people with the most money left. `None` if that does not work out.
fn fit_ballots(costs: &[i64], votes: &[u32], total: i64, voters: usize) -> Option<Vec<Vec<usize>>> {
    let mut left = vec![total; voters];
    let mut ballots: Vec<Vec<usize>> = vec![Vec::new(); voters];
    let mut order: Vec<usize> = (0..costs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(costs[i]));
    for (turn, &p) in order.iter().enumerate() {
        let mut people: Vec<usize> = (0..voters).collect();
        // The most money left first; ties in an order that changes from turn to turn.
        people.sort_by_key(|&v| (std::cmp::Reverse(left[v]), (v + turn * 37) % voters));
        let chosen: Vec<usize> = people
            .into_iter()
            .filter(|&v| left[v] >= costs[p])
            .take(votes[p] as usize)
            .collect();
        if chosen.len() != votes[p] as usize {
            return None;
        }
        for v in chosen {
            left[v] -= costs[p];
            ballots[v].push(p);
        }
    }
    Some(ballots)
}

/// The dates `offsets` days from Kyiv day `day`.
fn dates_from(day: i64, offsets: [i64; 5]) -> CycleDates {
    CycleDates {
        submission: format_date(day + offsets[0]),
        review: format_date(day + offsets[1]),
        voting: format_date(day + offsets[2]),
        results: format_date(day + offsets[3]),
        implementation: format_date(day + offsets[4]),
    }
}

/// Midnight in Kyiv of a `YYYY-MM-DD` date, plus `hours`.
fn at(date: &str, hours: i64) -> ApiResult<i64> {
    let day = hromada_api::time::parse_date(date)
        .ok_or_else(|| ApiError::Internal(format!("demo date {date}")))?;
    Ok(kyiv_midnight(day) + hours * HOUR)
}

/// Loads the demo budget unless the demo hromada already has cycles. Runs after the demo
/// petitions (it names its voters like their signers, after them).
pub async fn load(db: &Db, media_dir: &Path) -> ApiResult<()> {
    if db.cycle_count(DEMO_HROMADA).await? > 0 {
        return Ok(());
    }
    let now = clock::now_millis();
    let today = kyiv_day(now);
    let people = voters(db, now - 400 * DAY).await?;
    let resident = db
        .user_by_email("resident@demo.example")
        .await?
        .ok_or_else(|| ApiError::Internal("demo resident missing".into()))?;
    let resident = Account::load(db, resident).await?;
    past_cycle(db, media_dir, today, &people).await?;
    current_cycle(db, media_dir, today, &people, &resident).await
}

/// This year's cycle, in its voting phase.
async fn current_cycle(
    db: &Db,
    media_dir: &Path,
    today: i64,
    people: &[UserRow],
    resident: &Account,
) -> ApiResult<()> {
    let dates = dates_from(today, [-60, -30, -5, 20, 60]);
    let year: i32 = dates.submission[..4].parse().unwrap_or(2026);
    let max = 3;
    let cycle = seed::cycle(
        db,
        DEMO_HROMADA,
        &CycleDraft {
            year,
            title: format!("Громадський бюджет Херсона {year}"),
            total: 3_000_000,
            dates: dates.clone(),
            rule: VotingRule::Choose {
                max,
                one_per_category: false,
            },
        },
    )
    .await?;
    // Within the 30 days of submission, and reviewed within the 25 days of review.
    let submitted = |i: usize| at(&dates.submission, 24 * (1 + (i as i64 * 5) % 28) + 9);
    let reviewed = |i: usize| at(&dates.review, 24 * (1 + i as i64 % 20) + 11);
    let mut accepted = Vec::new();
    for (i, (d, _)) in CURRENT.iter().enumerate() {
        let author = Account::load(db, people[VOTERS - 1 - i].clone()).await?;
        let id = seed::submit(
            db,
            media_dir,
            &cycle,
            &author,
            &new_project(d),
            images(d).await?,
            submitted(i)?,
        )
        .await?;
        if i == CURRENT_ADJUSTED.0 {
            let c = CostAdjustment {
                cost: CURRENT_ADJUSTED.1,
                note: clean(CURRENT_ADJUSTED.2),
            };
            seed::adjust_cost(db, &id, &c, reviewed(i)? - 2 * HOUR).await?;
        }
        seed::review(db, &id, &Review::Accept, reviewed(i)?).await?;
        accepted.push(id);
    }
    let author = Account::load(db, people[VOTERS - 1 - CURRENT.len()].clone()).await?;
    let id = seed::submit(
        db,
        media_dir,
        &cycle,
        &author,
        &new_project(&REJECTED),
        Vec::new(),
        submitted(3)? + 3 * HOUR,
    )
    .await?;
    let reason = Review::Reject {
        reason: clean(REJECTED_REASON),
    };
    seed::review(db, &id, &reason, reviewed(5)?).await?;
    let id = seed::submit(
        db,
        media_dir,
        &cycle,
        resident,
        &new_project(&RESIDENTS),
        Vec::new(),
        submitted(9)?,
    )
    .await?;
    let note = Review::RequestChanges {
        note: clean(RESIDENTS_NOTE),
    };
    seed::review(db, &id, &note, reviewed(18)?).await?;
    // Ballots of the first voters, spread over the days of voting so far.
    let weights: Vec<u32> = CURRENT.iter().map(|(_, w)| *w).collect();
    let opened = at(&dates.voting, 0)?;
    let now = clock::now_millis();
    let span = (now - opened).max(HOUR);
    let ballots: Vec<(String, Vec<String>, String)> =
        choose_ballots(&weights, CURRENT_VOTERS, max as usize)
            .into_iter()
            .enumerate()
            .map(|(v, picks)| {
                (
                    people[v].id.clone(),
                    picks.into_iter().map(|p| accepted[p].clone()).collect(),
                    clock::rfc3339(opened + span * (v as i64 + 1) / (CURRENT_VOTERS as i64 + 2)),
                )
            })
            .collect();
    seed::ballots(db, &cycle, &ballots).await
}

/// Last year's cycle, entirely in the past (implementation).
async fn past_cycle(db: &Db, media_dir: &Path, today: i64, people: &[UserRow]) -> ApiResult<()> {
    let this_year: i32 = format_date(today)[..4].parse().unwrap_or(2026);
    let year = this_year - 1;
    let dates = CycleDates {
        submission: format!("{year}-02-03"),
        review: format!("{year}-04-01"),
        voting: format!("{year}-05-12"),
        results: format!("{year}-06-09"),
        implementation: format!("{year}-07-01"),
    };
    let total = 2_500_000;
    let cycle = seed::cycle(
        db,
        DEMO_HROMADA,
        &CycleDraft {
            year,
            title: format!("Громадський бюджет Херсона {year}"),
            total,
            dates: dates.clone(),
            rule: VotingRule::FitBudget,
        },
    )
    .await?;
    let mut ids = Vec::new();
    let mut costs = Vec::new();
    for (i, (d, _)) in PAST.iter().enumerate() {
        let author = Account::load(db, people[VOTERS - 40 - i].clone()).await?;
        let p = new_project(d);
        let id = seed::submit(
            db,
            media_dir,
            &cycle,
            &author,
            &p,
            images(d).await?,
            at(&dates.submission, 24 * (3 + 4 * i as i64) + 10)?,
        )
        .await?;
        let review = at(&dates.review, 24 * (2 + 2 * i as i64) + 12)?;
        let mut cost = p.total;
        if i == PAST_ADJUSTED.0 {
            let c = CostAdjustment {
                cost: PAST_ADJUSTED.1,
                note: clean(PAST_ADJUSTED.2),
            };
            seed::adjust_cost(db, &id, &c, review - HOUR).await?;
            cost = c.cost;
        }
        seed::review(db, &id, &Review::Accept, review).await?;
        ids.push(id);
        costs.push(cost);
    }
    let votes: Vec<u32> = PAST.iter().map(|(_, v)| *v).collect();
    let picks = fit_ballots(&costs, &votes, total, VOTERS)
        .ok_or_else(|| ApiError::Internal("demo ballots of last year do not fit".into()))?;
    let opened = at(&dates.voting, 8)?;
    let span = at(&dates.results, 0)? - opened - HOUR;
    let ballots: Vec<(String, Vec<String>, String)> = picks
        .into_iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(v, p)| {
            (
                people[v].id.clone(),
                p.into_iter().map(|i| ids[i].clone()).collect(),
                clock::rfc3339(opened + span * v as i64 / VOTERS as i64),
            )
        })
        .collect();
    seed::ballots(db, &cycle, &ballots).await?;
    let started = at(&dates.implementation, 10)?;
    for (i, (progress, steps)) in PAST_PLANS {
        let implementation = Implementation {
            progress: *progress,
            milestones: steps
                .iter()
                .map(|(title, days, done)| Milestone {
                    title: (*title).to_owned(),
                    date: format_date(kyiv_day(started) + days),
                    done: *done,
                })
                .collect(),
        };
        seed::implementation(db, &ids[*i], &implementation, &clock::rfc3339(started)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_api::budget::funding::{Entry, allocate};
    use hromada_api::budget::rules::{Choice, check};
    use hromada_api::budget::{ProjectCategory, validate_project};

    fn all() -> impl Iterator<Item = &'static Demo> {
        CURRENT
            .iter()
            .map(|(d, _)| d)
            .chain(PAST.iter().map(|(d, _)| d))
            .chain([&REJECTED, &RESIDENTS])
    }

    #[test]
    fn every_project_is_valid_and_realistic() {
        let mut wrong = Vec::new();
        for d in all() {
            let p = new_project(d);
            let sentences = p.description.matches(['.', '!', '?']).count();
            if !validate_project(&p).is_empty()
                || !(80_000..=900_000).contains(&p.total)
                || !(2..=5).contains(&p.cost_lines.len())
                || !(2..=4).contains(&sentences)
            {
                wrong.push(d.title);
            }
        }
        assert!(wrong.is_empty(), "{wrong:?}");
        let categories: std::collections::BTreeSet<&str> =
            CURRENT.iter().map(|(d, _)| d.category).collect();
        assert!(CURRENT.len() >= 14 && categories.len() >= 7);
        assert!(CURRENT.iter().filter(|(d, _)| d.image.is_some()).count() >= 4);
    }

    #[test]
    fn last_years_ballots_give_the_votes_and_fit_the_budget() {
        let costs: Vec<i64> = PAST
            .iter()
            .enumerate()
            .map(|(i, (d, _))| {
                if i == PAST_ADJUSTED.0 {
                    PAST_ADJUSTED.1
                } else {
                    new_project(d).total
                }
            })
            .collect();
        let votes: Vec<u32> = PAST.iter().map(|(_, v)| *v).collect();
        let ballots = fit_ballots(&costs, &votes, 2_500_000, VOTERS).unwrap();
        let voters = ballots.iter().filter(|b| !b.is_empty()).count();
        assert!(voters >= 200, "{voters}");
        let mut counted = vec![0u32; PAST.len()];
        for b in &ballots {
            let ids: Vec<String> = b.iter().map(|i| i.to_string()).collect();
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let choices: Vec<Choice> = b
                .iter()
                .map(|&i| Choice {
                    category: ProjectCategory::Other,
                    cost: costs[i],
                })
                .collect();
            check(VotingRule::FitBudget, 2_500_000, &ids, &choices).unwrap();
            for &i in b {
                counted[i] += 1;
            }
        }
        assert_eq!(counted, votes);
        // One project is skipped for not fitting, and a cheaper one below it is funded.
        let placed = allocate(
            2_500_000,
            (0..PAST.len())
                .map(|i| Entry {
                    id: format!("{i:02}"),
                    cost: costs[i],
                    votes: votes[i],
                    submitted_at: format!("2025-02-{:02}", i + 1),
                })
                .collect(),
        );
        let funded: Vec<bool> = placed.iter().map(|p| p.funded).collect();
        assert_eq!(
            funded,
            [
                true, true, true, false, true, false, true, false, false, false
            ]
        );
        for (i, _) in PAST_PLANS {
            assert!(funded[*i], "plans only for funded projects");
        }
    }

    #[test]
    fn current_ballots_follow_the_rule() {
        let weights: Vec<u32> = CURRENT.iter().map(|(_, w)| *w).collect();
        let ballots = choose_ballots(&weights, CURRENT_VOTERS, 3);
        assert_eq!(ballots.len(), CURRENT_VOTERS);
        for b in &ballots {
            assert!((1..=3).contains(&b.len()));
            let mut s = b.clone();
            s.sort_unstable();
            s.dedup();
            assert_eq!(s.len(), b.len());
        }
    }
}
