ALTER TABLE `studio_profiles` ADD `logo_file` text;--> statement-breakpoint
ALTER TABLE `studio_profiles` ADD `cover_file` text;