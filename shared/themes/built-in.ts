import type { ThemeDefinition } from './theme.js';

/*
 * The themes Hami ships for shops and support desks, in English and Persian, grown against the labelled comments in
 * test/fixtures/themes (the bench reports precision and recall per theme). Terms are written in their plain form:
 * the tagger reads plurals, possessives and verb endings itself ("delays", "تاخیرها", "کیفیتش"), a Persian
 * two-word term also matches written as one word, and "تأخیر" also matches "تاخیر". A word that means different
 * things in different complaints (slow, wait, خراب) is given as a phrase that says which.
 */

const theme = (id: string, en: string, fa: string, terms: { en: string[]; fa: string[] }): ThemeDefinition => ({
  id,
  label: { en, fa },
  terms,
  enabled: true,
  builtIn: true,
});

export const BUILT_IN_THEMES: readonly ThemeDefinition[] = [
  theme('delivery', 'Delivery', 'ارسال و تحویل', {
    en: [
      'delivery', 'deliver', 'shipping', 'shipped', 'shipment', 'courier', 'late', 'delay', 'dispatch', 'postman',
      'post office', 'tracking', 'arrived quickly', 'arrived fast', 'arrived early', 'arrived on time', 
      'arrived the next day', 'came quickly', 'came fast', 'took forever to arrive', 'never arrived', "hasn't arrived",
      "didn't arrive", 'not arrived', 'still waiting for my order', 'still waiting for the order', 'still not here',
      'slow to arrive', 'days to arrive', 'weeks to arrive', 'driver', 'parcel arrived', 'package arrived',
      'order arrived', 'on time', 'took two weeks', 'took three weeks', 'to get here', 'took ages',
      'supposed to arrive', 'arrived within', 'came within', 'same day delivery', 'next day delivery',
    ],
    fa: [
      'ارسال', 'تحویل', 'دیر', 'تأخیر', 'پیک', 'پست', 'تیپاکس', 'باربری', 'مامور پست', 'زود رسید', 'سریع رسید',
      'به موقع رسید', 'به موقع', 'سر وقت', 'دیر رسید', 'هنوز نرسیده', 'سفارش نرسید', 'بسته نرسید', 'به دستم نرسید',
      'به دستم رسید', 'نرسیده', 'رسیدن', 'کد رهگیری', 'رهگیری', 'یک هفته طول کشید', 'دو هفته طول کشید', 'تا برسه', 'تا رسید', 'همون روز رسید',
      'همان روز رسید',
      'منتظر سفارش',
    ],
  }),
  theme('damaged', 'Damaged or packaging', 'آسیب و بسته‌بندی', {
    en: [
      'damaged', 'damage', 'broken', 'arrived broken', 'cracked', 'crack', 'dented', 'dent', 'scratched', 'scratch',
      'smashed', 'crushed', 'shattered', 'leaking', 'leaked', 'torn', 'packaging', 'packed', 'packing', 'bubble wrap',
      'wrapped', 'in pieces',
    ],
    fa: [
      'آسیب', 'آسیب دیده', 'شکسته', 'ترک خورده', 'ترک داشت', 'ترک برداشته', 'خراب رسید', 'شکسته رسید', 'بسته بندی',
      'داغون رسید', 'له شده', 'له بود', 'ضربه خورده', 'ضربه دیده', 'کارتن', 'جعبه', 'پاره', 'نشتی', 'نشت', 'خط و خش',
      'خش', 'خط افتاده', 'زخمی', 'خرد شده', 'قر شده', 'پلمپ',
    ],
  }),
  theme('price', 'Price', 'قیمت', {
    en: [
      'price', 'expensive', 'overpriced', 'pricey', 'cheap', 'cheaper', 'cost', 'costly', 'value for money', 'worth the money',
      'affordable', 'discount', 'rip off', 'ripoff', 'fee', 'pricing', 'too much money', 'reasonable prices', 'bargain',
    ],
    fa: [
      'قیمت', 'گران', 'گرون', 'ارزان', 'ارزون', 'هزینه', 'تخفیف', 'ارزش خرید', 'به صرفه', 'مقرون به صرفه',
      'گرانفروشی', 'گرونفروشی', 'نرخ', 'ارزش پول', 'ارزش پولش', 'گرون تر', 'گرانتر', 'کرایه',
    ],
  }),
  theme('quality', 'Product quality', 'کیفیت کالا', {
    en: [
      'quality', 'defect', 'defective', 'faulty', 'flimsy', 'cheaply made', 'well made', 'fell apart', 'stopped working',
      "doesn't work", "didn't work", 'not working', 'broke after', 'fake', 'counterfeit', 'durable', 'material', 'cheap material', 'faded', 'stitching', "doesn't last", 'expired',
      'stale', 'fresh', 'tastes', 'poorly made', 'works perfectly', 'works great', 'works well', 'sturdy', 'knockoff',
    ],
    fa: [
      'کیفیت', 'بیکیفیت', 'بی کیفیت', 'معیوب', 'ایراد فنی', 'خراب بود', 'خراب شد', 'کار نمیکنه', 'کار نمیکند', 'کار نمیکرد', 'کار نکرد', 'باکیفیت', 'بیدوام', 'بی دوام', 'از بین رفت', 'دوخت',
      'جنسش', 'جنس بد', 'جنس خوب', 'نامرغوب', 'مرغوب', 'تقلبی', 'فیک', 'اصل نبود', 'اصلی نبود', 'دوام', 'سوخت', 'تاریخ انقضا', 'تاریخ گذشته', 'تازه نبود',
      'بو میداد', 'طعم', 'مزه', 'بادوام', 'درست کار میکنه', 'عالی کار میکنه', 'خوب کار میکنه', 'نو نبود', 'کارکرده',
    ],
  }),
  theme('staff', 'Staff behaviour', 'رفتار کارکنان', {
    en: [
      'staff', 'rude', 'polite', 'impolite', 'courteous', 'friendly', 'unfriendly', 'behaviour', 'behavior', 'attitude',
      'employee', 'salesperson', 'salesman', 'saleswoman', 'cashier', 'disrespectful', 'respectful', 'shouted', 'yelled',
      'treated me', 'welcoming', 'arrogant', 'condescending', 'manners', 'respect',
    ],
    fa: [
      'برخورد', 'رفتار', 'بیادب', 'بی ادب', 'مودب', 'مؤدب', 'بیاحترامی', 'بی احترامی', 'احترام', 'محترمانه', 'بداخلاق',
      'بد اخلاق', 'خوش اخلاق', 'خوشاخلاق', 'خوش برخورد', 'خوشبرخورد', 'کارمند', 'کارکنان', 'پرسنل', 'فروشنده',
      'صندوقدار', 'داد زد', 'توهین', 'بی حوصله', 'بیحوصله', 'خوش رو', 'خوشرو', 'اخلاق', 'مهربون', 'مهربان',
    ],
  }),
  theme('support', 'Support response', 'پاسخگویی پشتیبانی', {
    en: [
      'support', 'customer service', 'customer care', 'helpdesk', 'help desk', 'response', 'respond', 'reply', 'no answer',
      'answered', 'never answered', 'call center', 'called', 'on the phone', 'phone line', 'phone call', 'live chat', 'chat', 'chatbot', 'reach anyone', 'reach someone', 'ticket', 'on hold', 'hung up',
      'representative', 'agent', 'operator', 'emails', 'get through', 'got back to me', 'get back to me', 'follow up',
      'followed up', 'contacted', 'contact',
    ],
    fa: [
      'پشتیبانی', 'پاسخگو', 'پاسخگویی', 'پاسخ', 'جواب', 'تماس', 'تلفن', 'تلفنی', 'زنگ زدم', 'زنگ زدیم', 'زنگ زدن', 'اپراتور',
      'مرکز تماس', 'خدمات مشتری', 'خدمات پس از فروش', 'تیکت', 'چت', 'پیگیری کردم', 'پیگیری کردن', 'پیگیری نکردن',
      'کارشناس', 'ایمیل', 'پیام دادم', 'پشت خط', 'منتظر جواب', 'خدمات پس',
    ],
  }),
  theme('refund', 'Refunds and payment', 'بازپرداخت و پرداخت', {
    en: [
      'refund', 'money back', 'billing', 'bill', 'charged', 'charges', 'overcharged', 'double charged', 'payment', 'invoice', 'took the money', 'took my money', 'credit card', 'card', 'return policy', 'returned', 'return it', 'return the', 'exchange',
      'reimburse', 'transaction', 'cashback', 'deducted',
    ],
    fa: [
      'بازگشت وجه', 'برگشت وجه', 'برگشت پول', 'پولم', 'پول رو برگردوندن', 'پس ندادن', 'مرجوع', 'مرجوعی', 'عودت',
      'استرداد', 'پرداخت', 'کسر شد', 'از حساب', 'کارت', 'فاکتور', 'صورتحساب', 'تراکنش', 'واریز', 'دو بار کسر',
      'تعویض', 'بازپرداخت', 'وجه',
    ],
  }),
  theme('website', 'Website and app', 'سایت و اپلیکیشن', {
    en: [
      'website', 'site', 'app', 'application', 'checkout', 'login', 'log in', 'sign in', 'password', 'web page', 'page',
      'loading', 'crashed', 'crashes', 'crashing', 'bug', 'glitch', 'error message', 'error', 'cart', 'search', 'interface',
      'user friendly', 'verification code', 'otp', 'online store', 'navigate', 'ordering online', 'order online',
    ],
    fa: [
      'سایت', 'وبسایت', 'وب سایت', 'اپ', 'اپلیکیشن', 'لاگین', 'ورود به', 'رمز عبور', 'کد تایید', 'درگاه', 'سبد خرید',
      'ثبت سفارش', 'صفحه سایت', 'صفحه پرداخت', 'وارد حساب', 'کاربرپسند', 'باگ', 'ارور', 'خطا', 'هنگ', 'لود', 'بارگذاری', 'جستجو', 'کد یکبار مصرف', 'پیامک تایید',
    ],
  }),
  theme('wrong-item', 'Wrong or missing item', 'کالای اشتباه یا ناقص', {
    en: [
      'wrong item', 'wrong size', 'wrong color', 'wrong colour', 'wrong product', 'wrong order', 'wrong one', 'wrong model',
      'wrong thing', 'sent the wrong', 'sent me the wrong', 'received the wrong', 'got the wrong', 'missing', 'incomplete',
      'not what i ordered', "someone else's order", 'different from the picture', 'different from the photo', 'different item',
      'different product', 'mixed up', 'half of my order',
    ],
    fa: [
      'کالای اشتباه', 'جنس اشتباه', 'رنگ اشتباه', 'سایز اشتباه', 'مدل اشتباه', 'اشتباهی', 'اشتباه فرستادن', 'اشتباه ارسال',
      'ناقص', 'کسری', 'کم بود', 'جا افتاده', 'با عکس فرق', 'با عکسش فرق', 'با تصویر', 'مغایرت', 'فرق داشت', 'کامل نبود',
      'یه چیز دیگه', 'یک چیز دیگر', 'چیز دیگه ای',
    ],
  }),
  theme('availability', 'Availability', 'موجودی', {
    en: ['out of stock', 'in stock', 'stock', 'availability', 'unavailable', 'sold out', 'restock', 'not available', 'available'],
    fa: ['موجود', 'موجودی', 'ناموجود', 'تموم شده بود', 'تمام شده بود', 'اتمام موجودی', 'موجود نبود', 'موجود نیست'],
  }),
];
