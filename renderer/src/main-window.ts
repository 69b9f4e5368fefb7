import { mount } from 'svelte';
import App from './App.svelte';
import { currentLocale, initI18n } from './i18n/i18n.svelte';
import { warmFormatters } from './lib/format';
import './styles.css';
import { askEarly } from './app/early-answers';
import { logUncaughtErrors } from './lib/window-log';

// First, so an error while the window starts reaches main's log too.
logUncaughtErrors();

// The first questions go to main before anything else, and the slow first use of the
// date formatter (the browser loads its locale data) runs while main answers them.
askEarly();
await initI18n();
warmFormatters(currentLocale());
mount(App, { target: document.getElementById('app')! });
