CREATE TABLE `proof_activity` (
	`tenant_id` text NOT NULL,
	`gallery_id` text NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor_name` text NOT NULL,
	`actor_role` text NOT NULL,
	`list_id` text,
	`photo_id` text,
	`comment_id` text,
	`detail` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `gallery_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `proof_activity_recent_idx` ON `proof_activity` (`tenant_id`,`gallery_id`,`at`);--> statement-breakpoint
CREATE TABLE `proof_comments` (
	`tenant_id` text NOT NULL,
	`gallery_id` text NOT NULL,
	`id` text NOT NULL,
	`photo_id` text NOT NULL,
	`author_id` text NOT NULL,
	`author_name` text NOT NULL,
	`body` text NOT NULL,
	`resolved` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`edited_at` integer,
	PRIMARY KEY(`tenant_id`, `gallery_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `proof_comments_recent_idx` ON `proof_comments` (`tenant_id`,`gallery_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `proof_lists` (
	`tenant_id` text NOT NULL,
	`gallery_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`owner_id` text NOT NULL,
	`owner_name` text NOT NULL,
	`created_at` integer NOT NULL,
	`submitted_at` integer,
	PRIMARY KEY(`tenant_id`, `gallery_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `proof_picks` (
	`tenant_id` text NOT NULL,
	`gallery_id` text NOT NULL,
	`list_id` text NOT NULL,
	`photo_id` text NOT NULL,
	`picked_by` text NOT NULL,
	`picked_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `gallery_id`, `list_id`, `photo_id`)
);
