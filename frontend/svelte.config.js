// Read by both @sveltejs/vite-plugin-svelte and svelte-check, so the two compile alike.
/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  compilerOptions: {
    runes: true,
    // The server's Content-Security-Policy has `style-src 'self'`: component CSS must reach the
    // page as .css files, never as <style> elements injected at runtime.
    css: 'external',
  },
};
