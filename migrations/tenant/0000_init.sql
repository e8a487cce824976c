CREATE TABLE `studio_profiles` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`tagline` text DEFAULT '' NOT NULL,
	`about` text DEFAULT '' NOT NULL,
	`contact_email` text DEFAULT '' NOT NULL,
	`accent_color` text DEFAULT '#1f6feb' NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
