CREATE TABLE `notifications` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`link` text NOT NULL,
	`count` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`read_at` integer,
	`mail_state` text DEFAULT 'done' NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `notifications_page_idx` ON `notifications` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_unread_idx` ON `notifications` (`tenant_id`,`read_at`);--> statement-breakpoint
CREATE INDEX `notifications_digest_idx` ON `notifications` (`mail_state`,`created_at`) WHERE mail_state = 'digest';--> statement-breakpoint
ALTER TABLE `studio_profiles` ADD `alert_mail` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `html` text;