import type { ReasonCategory } from '../../shared/api/staff.js';

/*
 * The words of the demo: customer names, comments in Persian and English with varied wording for each reason,
 * the care team's notes and the outcome messages customers are sent. {p} is the product, {agent} the agent.
 */

export type DemoLocale = 'fa' | 'en';
type Texts = Record<DemoLocale, readonly string[]>;

export const PRODUCTS = ['Phone X', 'Laptop Pro', 'Headphones', 'Smartwatch'] as const;
export type Product = (typeof PRODUCTS)[number];
const PRODUCT_NAMES: Record<Product, Record<DemoLocale, string>> = {
  'Phone X': { en: 'Phone X', fa: 'گوشی Phone X' },
  'Laptop Pro': { en: 'laptop', fa: 'لپ‌تاپ' },
  Headphones: { en: 'headphones', fa: 'هدفون' },
  Smartwatch: { en: 'smartwatch', fa: 'ساعت هوشمند' },
};

/** Help-desk agents named on resolution events (attribute `agent`). */
export const AGENTS = ['Neda', 'Tom', 'Parisa', 'Omid'] as const;
export type Agent = (typeof AGENTS)[number];
const AGENT_NAMES: Record<Agent, Record<DemoLocale, string>> = {
  Neda: { en: 'Neda', fa: 'ندا' },
  Tom: { en: 'Tom', fa: 'تام' },
  Parisa: { en: 'Parisa', fa: 'پریسا' },
  Omid: { en: 'Omid', fa: 'امید' },
};

export const REGION_WEIGHTS = { Tehran: 40, Isfahan: 14, Mashhad: 14, Shiraz: 12, Tabriz: 10, Karaj: 10 } as const;
export type Region = keyof typeof REGION_WEIGHTS | 'International';

/** Persian names with the spelling used in their email address. */
export const FA_FIRST: readonly (readonly [string, string])[] = [
  ['سارا', 'sara'],
  ['علی', 'ali'],
  ['مریم', 'maryam'],
  ['رضا', 'reza'],
  ['زهرا', 'zahra'],
  ['حسین', 'hossein'],
  ['نگار', 'negar'],
  ['امیر', 'amir'],
  ['فاطمه', 'fatemeh'],
  ['مهدی', 'mahdi'],
  ['لیلا', 'leila'],
  ['کاوه', 'kaveh'],
  ['پریا', 'paria'],
  ['آرش', 'arash'],
  ['شیرین', 'shirin'],
  ['بهرام', 'bahram'],
  ['الهام', 'elham'],
  ['سعید', 'saeed'],
  ['نسترن', 'nastaran'],
  ['محمد', 'mohammad'],
  ['یاسمن', 'yasaman'],
  ['کیان', 'kian'],
  ['مینا', 'mina'],
  ['پویا', 'pouya'],
];
export const FA_LAST: readonly (readonly [string, string])[] = [
  ['احمدی', 'ahmadi'],
  ['محمدی', 'mohammadi'],
  ['حسینی', 'hosseini'],
  ['رضایی', 'rezaei'],
  ['کریمی', 'karimi'],
  ['موسوی', 'mousavi'],
  ['جعفری', 'jafari'],
  ['نوری', 'nouri'],
  ['صادقی', 'sadeghi'],
  ['رحیمی', 'rahimi'],
  ['تهرانی', 'tehrani'],
  ['شریفی', 'sharifi'],
  ['قاسمی', 'ghasemi'],
  ['اکبری', 'akbari'],
  ['یزدانی', 'yazdani'],
  ['فرهادی', 'farhadi'],
];
export const EN_FIRST = [
  'Emma',
  'Liam',
  'Olivia',
  'Noah',
  'Ava',
  'James',
  'Mia',
  'Lucas',
  'Sophia',
  'Ethan',
  'Grace',
  'Daniel',
  'Chloe',
  'Samuel',
  'Hannah',
  'Leo',
];
export const EN_LAST = ['Smith', 'Brown', 'Wilson', 'Taylor', 'Clark', 'Walker', 'Hall', 'Young', 'Wright', 'Green', 'Baker', 'Hughes'];

/** Why a detractor is unhappy; the care team closes the case with the matching reason category. */
export type Cause = 'delivery' | 'defect' | 'price' | 'support' | 'refund' | 'website' | 'other';
export const REASON_OF: Record<Cause, ReasonCategory> = {
  delivery: 'shipping_delay',
  defect: 'product_defect',
  price: 'price',
  support: 'support_response',
  refund: 'billing_refund',
  website: 'website_app',
  other: 'other',
};

const DETRACTOR: Record<Cause, Texts> = {
  delivery: {
    en: [
      'Delivery took almost two weeks and nobody told me why.',
      'The courier postponed three times. Very frustrating.',
      'Arrived late and the box was crushed.',
      'Tracking said delivered, but the parcel was nowhere.',
      'Shipping was far slower than the website promised.',
      'My order sat in the warehouse for a week.',
    ],
    fa: [
      'ارسال نزدیک دو هفته طول کشید و کسی توضیحی نداد.',
      'پیک سه بار زمان تحویل را عقب انداخت.',
      'بسته دیر رسید و جعبه‌اش له شده بود.',
      'کد رهگیری نوشته بود تحویل شده ولی بسته‌ای نرسید.',
      'زمان ارسال خیلی بیشتر از وعده سایت بود.',
      'سفارشم یک هفته در انبار مانده بود.',
      'تحویل خیلی دیر بود، دیگر از این فروشگاه خرید نمی‌کنم.',
    ],
  },
  defect: {
    en: [
      'The {p} stopped working after a week.',
      'The {p} was dead out of the box.',
      'Screen on the {p} started flickering after a few days.',
      'Faulty unit, it keeps restarting.',
    ],
    fa: [
      '{p} بعد از یک هفته از کار افتاد.',
      '{p} از همان اول روشن نشد.',
      'صفحه {p} بعد از چند روز چشمک می‌زند.',
      'دستگاه ایراد دارد و مدام خاموش و روشن می‌شود.',
    ],
  },
  price: {
    en: [
      'Too expensive compared to other shops.',
      'The price dropped right after I paid.',
      'The shipping fee is absurd.',
      'Found the same {p} much cheaper elsewhere.',
    ],
    fa: [
      'نسبت به فروشگاه‌های دیگر خیلی گران است.',
      'درست بعد از خرید قیمت پایین آمد.',
      'هزینه ارسال خیلی زیاد است.',
      'همین {p} را جای دیگر خیلی ارزان‌تر دیدم.',
    ],
  },
  support: {
    en: [
      'Nobody answered my emails for days.',
      'Waited 40 minutes on the phone, then the call dropped.',
      'Support kept sending me the same template reply.',
      'I had to explain my problem to three different people.',
      'The ticket was closed but my problem was not fixed.',
    ],
    fa: [
      'چند روز کسی به ایمیلم جواب نداد.',
      'چهل دقیقه پشت خط ماندم و تماس قطع شد.',
      'پشتیبانی فقط جواب‌های آماده می‌فرستد.',
      'مشکلم را برای سه نفر مختلف توضیح دادم.',
      'درخواستم را بستند ولی مشکل حل نشده بود.',
    ],
  },
  refund: {
    en: [
      'My refund is still not here after three weeks.',
      'Returned the item, still waiting for my money.',
      'They charged my card twice and the refund is slow.',
    ],
    fa: [
      'بعد از سه هفته هنوز پولم برنگشته است.',
      'کالا را پس دادم ولی هنوز وجهش واریز نشده.',
      'دو بار از کارتم کسر شد و برگشت پول خیلی طول کشید.',
    ],
  },
  website: {
    en: ['Checkout kept failing in the app.', 'The discount code did not work at checkout.', 'I could not track my order in the app.'],
    fa: ['پرداخت در اپ مدام خطا می‌داد.', 'کد تخفیف موقع پرداخت کار نکرد.', 'در اپلیکیشن نمی‌شد سفارش را پیگیری کرد.'],
  },
  other: {
    en: ['Not what I expected.', 'Disappointing experience overall.'],
    fa: ['اصلاً چیزی که انتظار داشتم نبود.', 'در کل تجربه ناامیدکننده‌ای بود.'],
  },
};

/** The bad Headphones batch: the faults customers describe. */
const HEADPHONES_DEFECT: Texts = {
  en: [
    'The headphones stopped charging after a week.',
    'Battery dies in under an hour, the box says 30 hours.',
    'Left earbud went silent on day three.',
    'The hinge snapped after ten days of normal use.',
    'Crackling in the right ear, clearly a faulty unit.',
    'Second pair from you, same battery problem.',
  ],
  fa: [
    'هدفون بعد از یک هفته دیگر شارژ نمی‌شود.',
    'باتری هدفون زیر یک ساعت تمام می‌شود، روی جعبه نوشته ۳۰ ساعت.',
    'گوشی چپ هدفون از روز سوم صدا ندارد.',
    'لولای هدفون بعد از ده روز استفاده معمولی شکست.',
    'یک طرف هدفون خش‌خش می‌کند؛ معلوم است ایراد دارد.',
    'باتری هدفون باد کرده و شارژ نگه نمی‌دارد.',
    'هدفون دوم را هم گرفتم، همان مشکل باتری را دارد.',
  ],
};

/*
 * The courier's backlog while the bad batch is returned and replaced: other orders ship late, and the faulty
 * headphones' replacements are late too. Written as people type them: colloquial Persian, some on an Arabic
 * keyboard (ي, ك), some without the zero-width non-joiner.
 */
const BACKLOG_DELIVERY: Texts = {
  en: [
    'My {p} came a week late. The courier said they are swamped with returns.',
    'Delivery got pushed back three times, apparently the couriers are busy collecting faulty headphones.',
    'Shipping took 9 days. Whatever is going on with your returns, it makes everyone else late.',
    'Order was late, tracking just said "delayed due to high volume" for a whole week.',
    'late delivery again. the driver told me they have a pile of returned headphones to move first',
  ],
  fa: [
    'سفارشم یه هفته دیر رسید، پیکه میگفت سرشون با مرجوعیا شلوغه.',
    'ارسال خیلی طول کشید، انگار همه پیکا درگیر جمع کردن هدفونای خرابن',
    '{p} رو سفارش دادم هشت روزه تو راهه. پشتیبانی میگه تاخیر بخاطر مرجوعی‌هاست',
    'چرا انقدر دير؟ ده روز طول کشيد تا {p} برسه',
    'ارسال خيلي كند شده، پيك گفت بسته‌هاي مرجوعي زياده',
    'تاخیر ارسال این روزا واقعا زیاد شده، {p} رو یه هفته بعد از موعد تحویل گرفتم.',
  ],
};

/** A faulty unit of the bad batch that came late, or whose replacement is stuck in the same backlog. */
const HEADPHONES_BACKLOG: Texts = {
  en: [
    'Came six days late and the left earbud is already dead.',
    'Waited over a week for delivery, and the headphones will not hold a charge.',
    'Headphones died after a week, I sent them back and the replacement is already 10 days late.',
    'Battery failed, returned them, and now the delivery of the replacement keeps getting postponed.',
    'Faulty headphones AND a late delivery for the replacement. Great.',
    'Second pair took two weeks to arrive and the hinge is loose again. Your shipping is a joke right now.',
    'The headphones crackle. Asked for a replacement 12 days ago, still no delivery date.',
  ],
  fa: [
    'یه هفته دیر رسید، تازه باتریش هم نصفه روز دووم نمیاره',
    'بعد کلی تاخير هدفون رسيد و از همون اول يه طرفش صدا نميده',
    'هدفونم بعد یه هفته خراب شد، پس فرستادم ولی جایگزینش هنوز نرسیده، خیلی دیر شد',
    'باتری هدفون خراب بود، تعویضش کردم و ارسال جایگزین دو هفته طول کشید',
    'هدفون معیوب، بعدشم ارسال تعویضیش کلی تاخیر داشت. واقعا ناامید شدم',
    'هدفون دومم دير رسيد و اونم صدا نداره!',
    'گوشی چپ هدفون قطع شد. پیک برای بردن مرجوعی سه بار قرارو کنسل کرد، جایگزینشم دیر میاد',
    'هدفونها رو پس دادم، دوهفته‌ست منتظر ارسال جایگزینم. پشتیبانی فقط میگه تاخیر داریم',
  ],
};

/** Delivery complaints that name the season. */
const SEASON_DELIVERY: Record<'nowruz' | 'yalda', Texts> = {
  nowruz: {
    en: ['Ordered as a Nowruz gift and it arrived after the holidays.', 'Everything stops for Nowruz, including my delivery.'],
    fa: [
      'برای عید سفارش دادم و بعد از تعطیلات رسید.',
      'هدیه عید بود ولی بعد از سیزده‌به‌در رسید.',
      'شلوغی عید بهانه نمی‌شود، سفارشم ده روز در راه بود.',
    ],
  },
  yalda: {
    en: ['Ordered for Yalda night, it came days late.', 'The year-end sale was great, the delivery was not.'],
    fa: ['برای شب یلدا سفارش دادم، چند روز دیر رسید.', 'حراج آخر سال خوب بود ولی ارسال افتضاح.', 'هدیه یلدا دو روز بعد از یلدا رسید!'],
  },
};

export type PassiveCause = 'price' | 'delivery' | 'support' | 'other';
const PASSIVE: Record<PassiveCause, Texts> = {
  price: {
    en: ['Good product, but the price is on the high side.', 'Fine, though I expected a bigger discount.', 'Decent {p}, a bit pricey.'],
    fa: ['محصول خوبی است ولی قیمتش کمی بالاست.', 'خوب بود، ولی انتظار تخفیف بیشتری داشتم.', '{p} خوبی است، فقط کمی گران است.'],
  },
  delivery: {
    en: ['OK, but delivery took a day longer than promised.', 'Product is fine, the packaging could be better.'],
    fa: [
      'خوب بود ولی ارسال یک روز دیرتر از وعده رسید.',
      'محصول خوب است، بسته‌بندی می‌توانست بهتر باشد.',
      'کالا سالم رسید ولی پیک بدقول بود.',
    ],
  },
  support: {
    en: ['Support was polite but slow.', 'Solved in the end, it took two calls.'],
    fa: ['پشتیبانی مؤدب بود اما کند.', 'بالاخره حل شد ولی دو بار تماس گرفتم.'],
  },
  other: {
    en: ['Nothing special, it does the job.', 'Good, but the manual is only in English.'],
    fa: ['چیز خاصی نبود، کارش را انجام می‌دهد.', 'خوب است ولی دفترچه راهنما فارسی ندارد.'],
  },
};

export type PromoterCause = 'delivery' | 'product' | 'support' | 'price';
const PROMOTER: Record<PromoterCause, Texts> = {
  delivery: {
    en: ['Arrived the next day, well packed!', 'Fast delivery even in the busy season.', 'Quickest delivery I have had from any shop.'],
    fa: [
      'فردای سفارش رسید، با بسته‌بندی عالی!',
      'حتی در شلوغی هم سریع رسید.',
      'سریع‌ترین ارسالی که از یک فروشگاه دیده‌ام.',
      'ارسال سریع و کیفیت عالی!',
    ],
  },
  product: {
    en: ['Great quality, exactly as described.', 'Love my new {p}.', 'Genuine product with a real warranty.'],
    fa: [
      'کیفیت عالی، دقیقاً مثل توضیحات.',
      '{p} جدیدم را خیلی دوست دارم.',
      'کالای اصل با گارانتی معتبر.',
      'عالی بود، به دوستانم هم پیشنهاد دادم.',
    ],
  },
  support: {
    en: [
      'Support solved my issue in minutes.',
      '{agent} was patient and really helpful.',
      'They called me back within the hour. Impressive.',
    ],
    fa: [
      'پشتیبانی در چند دقیقه مشکلم را حل کرد.',
      '{agent} خیلی صبور بود و واقعاً کمک کرد.',
      'کمتر از یک ساعت بعد با من تماس گرفتند. عالی بود.',
    ],
  },
  price: {
    en: ['Best price I could find, and genuine.', 'Great deal in the sale.'],
    fa: ['بهترین قیمت را داشتید و کالا اصل بود.', 'در حراج خرید خوبی کردم.'],
  },
};

/** A new purchase by a customer whose earlier complaint was fixed. */
const RECOVERED: Texts = {
  en: [
    'After the replacement everything works. Thank you for calling me back.',
    'You fixed my last problem properly, so I came back.',
    'Much better this time, and I remember how you handled my complaint.',
  ],
  fa: [
    'بعد از تعویض همه چیز درست کار می‌کند. ممنون که تماس گرفتید.',
    'مشکل قبلی‌ام را درست حل کردید، برای همین دوباره خرید کردم.',
    'این بار خیلی بهتر بود؛ پیگیری دفعه قبل را فراموش نکرده‌ام.',
  ],
};

const FOLLOW_UP: Record<'yes' | 'no', Texts> = {
  yes: {
    en: ['The replacement works perfectly, thanks.', 'Refund arrived, thank you.', 'All good now, thanks for following up.'],
    fa: ['کالای جایگزین عالی کار می‌کند، ممنون.', 'پولم برگشت، ممنون.', 'الان همه چیز درست است، ممنون از پیگیری.'],
  },
  no: {
    en: ['Still waiting for the refund.', 'The new unit has the same problem.', 'Nobody called me as promised.'],
    fa: ['هنوز منتظر برگشت پول هستم.', 'دستگاه جدید هم همان مشکل را دارد.', 'قرار بود تماس بگیرند ولی کسی زنگ نزد.'],
  },
};

/** Second sentences people add, so the same complaint is not always worded the same. */
const ADDED: Record<'detractor' | 'passive' | 'promoter', Texts> = {
  detractor: {
    en: [
      'Really disappointed.',
      'Not acceptable at this price.',
      'Please sort this out.',
      'I expected better from you.',
      'Second time this happens.',
      'Very frustrating.',
    ],
    fa: [
      'واقعاً ناامید شدم.',
      'با این قیمت قابل قبول نیست.',
      'لطفاً پیگیری کنید.',
      'از شما انتظار بیشتری داشتم.',
      'دومین بار است که این اتفاق می‌افتد.',
      'خیلی اعصاب‌خردکن بود.',
    ],
  },
  passive: {
    en: ['Overall OK.', 'Might order again.', 'Nothing to complain about otherwise.'],
    fa: ['در کل بد نبود.', 'شاید باز هم سفارش بدهم.', 'بقیه چیزها خوب بود.'],
  },
  promoter: {
    en: ['Thank you!', 'Will buy again.', 'Keep it up.', 'Already told my friends.'],
    fa: ['ممنون!', 'باز هم خرید می‌کنم.', 'دمتون گرم!', 'به دوستانم هم گفتم.', 'خسته نباشید.'],
  },
};

/** A comment as people type them: sometimes with a second sentence, sometimes without the final stop. */
function varied(rng: { pick: PickFn; next: () => number }, text: string, mood: keyof typeof ADDED, locale: DemoLocale): string {
  let comment = text;
  if (rng.next() < 0.4) comment = `${comment} ${rng.pick(ADDED[mood][locale])}`;
  if (rng.next() < (locale === 'fa' ? 0.3 : 0.15)) comment = comment.replace(/[.!]$/, '');
  return comment;
}

function fill(template: string, locale: DemoLocale, values: { product?: Product; agent?: Agent } = {}): string {
  return template
    .replaceAll('{p}', values.product ? PRODUCT_NAMES[values.product][locale] : locale === 'fa' ? 'کالا' : 'product')
    .replaceAll('{agent}', values.agent ? AGENT_NAMES[values.agent][locale] : locale === 'fa' ? 'همکارتان' : 'your agent');
}

type PickFn = <T>(items: readonly T[]) => T;
type TextRng = { pick: PickFn; next: () => number };

/**
 * A detractor's comment on `cause`. During the courier's backlog (`backlog`) many name it: the bad batch's owners
 * wait for their replacement, everyone else for their order.
 */
export function detractorComment(
  rng: TextRng,
  cause: Cause,
  locale: DemoLocale,
  context: { product: Product; season: 'nowruz' | 'yalda' | null; agent?: Agent; backlog?: boolean },
): string {
  const text =
    cause === 'defect' && context.product === 'Headphones'
      ? rng.pick((context.backlog && rng.next() < 0.7 ? HEADPHONES_BACKLOG : HEADPHONES_DEFECT)[locale])
      : cause === 'delivery' && context.backlog && rng.next() < 0.7
        ? fill(rng.pick(BACKLOG_DELIVERY[locale]), locale, context)
        : cause === 'delivery' && context.season && rng.next() < 0.5
          ? rng.pick(SEASON_DELIVERY[context.season][locale])
          : fill(rng.pick(DETRACTOR[cause][locale]), locale, context);
  return varied(rng, text, 'detractor', locale);
}
export const passiveComment = (rng: TextRng, cause: PassiveCause, locale: DemoLocale, product: Product) =>
  varied(rng, fill(rng.pick(PASSIVE[cause][locale]), locale, { product }), 'passive', locale);
export const promoterComment = (rng: TextRng, cause: PromoterCause, locale: DemoLocale, context: { product: Product; agent?: Agent }) =>
  varied(rng, fill(rng.pick(PROMOTER[cause][locale]), locale, context), 'promoter', locale);
export const recoveredComment = (rng: TextRng, locale: DemoLocale) => varied(rng, rng.pick(RECOVERED[locale]), 'promoter', locale);
export const followUpComment = (rng: TextRng, solved: boolean, locale: DemoLocale) => rng.pick(FOLLOW_UP[solved ? 'yes' : 'no'][locale]);

/** The care team's notes: Neda writes in Persian, Tom in English. */
export const CONTACT_NOTES: Texts = {
  en: [
    'Called the customer, apologised, looking into it.',
    'Reached the customer on the second try; promised an answer by tomorrow.',
    'No answer, left a voicemail and sent an SMS. Customer called back in the afternoon.',
    'Spoke with the customer; checking with the warehouse.',
  ],
  fa: [
    'با مشتری تماس گرفتم، عذرخواهی کردم و پیگیری را شروع کردم.',
    'بار دوم جواب داد؛ قول دادم تا فردا خبر بدهم.',
    'جواب نداد، پیامک فرستادم؛ عصر خودش تماس گرفت.',
    'با مشتری صحبت کردم؛ از انبار استعلام می‌گیرم.',
  ],
};

export const CLOSE_NOTES: Record<ReasonCategory, Texts> = {
  shipping_delay: { en: ['Courier confirmed the delay; shipping fee refunded.'], fa: ['تأخیر پیک تأیید شد؛ هزینه ارسال برگشت داده شد.'] },
  product_defect: {
    en: ['Replacement from the new batch booked; courier collects the faulty unit.', 'Faulty unit confirmed by the workshop; replaced.'],
    fa: ['تعویض از سری جدید ثبت شد؛ پیک دستگاه معیوب را می‌گیرد.', 'ایراد دستگاه در تعمیرگاه تأیید و تعویض شد.'],
  },
  support_response: {
    en: ['Took the ticket over myself and closed it with the customer.'],
    fa: ['درخواست را خودم به عهده گرفتم و با مشتری بستم.'],
  },
  billing_refund: { en: ['Finance pushed the refund through today.'], fa: ['واحد مالی امروز مبلغ را برگرداند.'] },
  price: { en: ['Offered a credit on the next order.'], fa: ['برای خرید بعدی اعتبار پیشنهاد دادم.'] },
  website_app: {
    en: ['App team fixed the checkout bug; discount applied by hand.'],
    fa: ['تیم اپ خطای پرداخت را رفع کرد؛ تخفیف دستی اعمال شد.'],
  },
  other: { en: ['Talked it through with the customer.'], fa: ['با مشتری صحبت و موضوع را روشن کردم.'] },
};

/** The outcome message each customer is sent when their case closes, in their language. */
export const OUTCOMES: Record<ReasonCategory, Record<'resolved' | 'unresolvable', Record<DemoLocale, string>>> = {
  shipping_delay: {
    resolved: {
      en: 'We are sorry for the late delivery. Your shipping fee has been refunded and your next delivery is free.',
      fa: 'بابت تأخیر در ارسال عذرخواهی می‌کنیم. هزینه ارسال به شما برگشت داده شد و ارسال بعدی رایگان است.',
    },
    unresolvable: {
      en: 'The courier could not explain the delay. We are sorry, and have changed couriers in your city.',
      fa: 'شرکت پست نتوانست تأخیر را توضیح دهد. متأسفیم؛ پیک شهر شما را عوض کرده‌ایم.',
    },
  },
  product_defect: {
    resolved: {
      en: 'A new unit from a checked batch is on its way; the courier will collect the faulty one.',
      fa: 'یک دستگاه نو از سری بررسی‌شده برایتان ارسال شد؛ پیک دستگاه معیوب را تحویل می‌گیرد.',
    },
    unresolvable: {
      en: 'The damage is not covered by the warranty; we have sent you the repair options and prices.',
      fa: 'این آسیب شامل گارانتی نمی‌شود؛ گزینه‌ها و هزینه تعمیر را برایتان فرستادیم.',
    },
  },
  support_response: {
    resolved: {
      en: 'Thank you for your patience. Your request now has one owner who stays with it until it is done.',
      fa: 'از صبر شما ممنونیم. درخواست شما اکنون یک مسئول دارد که تا پایان پیگیری می‌کند.',
    },
    unresolvable: {
      en: 'We could not solve this one, and we are sorry. Your feedback went to the support lead.',
      fa: 'نتوانستیم این مشکل را حل کنیم و متأسفیم. نظر شما به مدیر پشتیبانی رسید.',
    },
  },
  billing_refund: {
    resolved: {
      en: 'Your refund has been sent; it reaches your card within two working days.',
      fa: 'مبلغ به کارت شما برگشت داده شد و ظرف دو روز کاری می‌رسد.',
    },
    unresolvable: {
      en: 'The bank has not released the payment yet; we will tell you as soon as it does.',
      fa: 'بانک هنوز مبلغ را آزاد نکرده است؛ به محض آزاد شدن خبرتان می‌کنیم.',
    },
  },
  price: {
    resolved: {
      en: 'We have added a 10% credit to your account for your next order.',
      fa: 'اعتبار ۱۰ درصدی برای خرید بعدی به حساب شما اضافه شد.',
    },
    unresolvable: {
      en: 'We cannot change the price of a completed order, but your feedback went to our pricing team.',
      fa: 'امکان تغییر قیمت سفارش ثبت‌شده نیست، اما نظر شما را به واحد قیمت‌گذاری منتقل کردیم.',
    },
  },
  website_app: {
    resolved: { en: 'The checkout problem is fixed and your discount has been applied.', fa: 'مشکل پرداخت برطرف شد و تخفیف شما اعمال شد.' },
    unresolvable: {
      en: 'We could not reproduce the problem; please reply if it happens again.',
      fa: 'نتوانستیم مشکل را بازسازی کنیم؛ اگر دوباره پیش آمد لطفاً خبر دهید.',
    },
  },
  other: {
    resolved: { en: 'Thank you for telling us; we have taken care of it.', fa: 'از اینکه به ما گفتید ممنونیم؛ موضوع پیگیری و حل شد.' },
    unresolvable: {
      en: 'We could not find a solution this time. We are sorry, and your feedback is noted.',
      fa: 'این بار نتوانستیم راه‌حلی پیدا کنیم. متأسفیم و نظر شما ثبت شد.',
    },
  },
};
