CREATE TABLE `gallery_downloads` (
	`tenant_id` text NOT NULL,
	`gallery_id` text NOT NULL,
	`id` text NOT NULL,
	`visitor_id` text,
	`visitor_name` text,
	`visitor_email` text,
	`scope` text NOT NULL,
	`label` text NOT NULL,
	`size` text NOT NULL,
	`photo_count` integer NOT NULL,
	`bytes` integer NOT NULL,
	`parts` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`tenant_id`, `gallery_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `gallery_downloads_page_idx` ON `gallery_downloads` (`tenant_id`,`gallery_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `gallery_downloads_visitor_idx` ON `gallery_downloads` (`tenant_id`,`gallery_id`,`visitor_id`);--> statement-breakpoint
CREATE TABLE `gallery_visitors` (
	`tenant_id` text NOT NULL,
	`gallery_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text,
	`email` text,
	`invited` integer DEFAULT false NOT NULL,
	`first_seen` integer,
	`last_seen` integer,
	`downloads` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`tenant_id`, `gallery_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `gallery_visitors_page_idx` ON `gallery_visitors` (`tenant_id`,`gallery_id`,`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `galleries` ADD `require_email` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `galleries` ADD `due_at` integer;--> statement-breakpoint
CREATE INDEX `galleries_due_idx` ON `galleries` (`due_at`) WHERE due_at IS NOT NULL;--> statement-breakpoint
ALTER TABLE `photos` ADD `taken_at` integer;--> statement-breakpoint
ALTER TABLE `photos` ADD `phash` text;--> statement-breakpoint
ALTER TABLE `photos` ADD `sharpness` real;--> statement-breakpoint
ALTER TABLE `photos` ADD `stack_id` text;--> statement-breakpoint
ALTER TABLE `photos` ADD `soft` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `photos_taken_idx` ON `photos` (`tenant_id`,`gallery_id`,`taken_at`) WHERE taken_at IS NOT NULL;--> statement-breakpoint
UPDATE `photos` SET `taken_at` = CAST(strftime('%s', json_extract(`exif`, '$.takenAt')) AS INTEGER) * 1000 WHERE `exif` IS NOT NULL AND json_extract(`exif`, '$.takenAt') IS NOT NULL;
--> statement-breakpoint
UPDATE `galleries` SET `due_at` = json_extract(`selection`, '$.dueAt') WHERE json_extract(`selection`, '$.dueAt') IS NOT NULL;
