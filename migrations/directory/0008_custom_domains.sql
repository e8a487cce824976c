ALTER TABLE `domains` ADD `cf_id` text;--> statement-breakpoint
ALTER TABLE `domains` ADD `status` text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE `domains` ADD `ssl_status` text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE `domains` ADD `serving` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `domains` ADD `records` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `domains` ADD `problems` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `domains` ADD `checked_at` integer;--> statement-breakpoint
CREATE INDEX `domains_pending_idx` ON `domains` (`serving`,`checked_at`);