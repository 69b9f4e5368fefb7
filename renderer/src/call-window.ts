import { mount } from 'svelte';
import CallWindow from '../../call/window/CallWindow.svelte';
import { initI18n } from './i18n/i18n.svelte';
import './styles.css';
import '../../call/window/call.css';
import { logUncaughtErrors } from './lib/window-log';

// First, so an error while the window starts reaches main's log too.
logUncaughtErrors();

await initI18n();
mount(CallWindow, { target: document.getElementById('app')! });
