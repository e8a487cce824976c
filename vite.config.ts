// The browser apps, built into static assets the Worker serves from web/public. Names are fixed
// (the server-rendered pages link them); the assets binding revalidates them by ETag.
import { defineConfig } from "vite";

export default defineConfig({
  publicDir: false,
  build: {
    outDir: "web/public/assets/app",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    rollupOptions: {
      input: { gallery: "web/gallery/main.ts" },
      output: { entryFileNames: "[name].js", chunkFileNames: "[name].js", assetFileNames: "[name][extname]" },
    },
  },
});
