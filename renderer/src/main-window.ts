import { mount } from 'svelte';
import App from './App.svelte';
import { initI18n } from './i18n/i18n.svelte';
import './styles.css';

await initI18n();
mount(App, { target: document.getElementById('app')! });
