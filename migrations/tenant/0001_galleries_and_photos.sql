CREATE TABLE `galleries` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`visibility` text DEFAULT 'unlisted' NOT NULL,
	`password_hash` text,
	`expires_at` integer,
	`cover_photo_id` text,
	`downloads` text NOT NULL,
	`download_pin_hash` text,
	`watermark` text NOT NULL,
	`watermark_version` integer DEFAULT 1 NOT NULL,
	`selection` text NOT NULL,
	`position` real DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `galleries_tenant_position_idx` ON `galleries` (`tenant_id`,`position`);--> statement-breakpoint
CREATE TABLE `gallery_sets` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`gallery_id` text NOT NULL,
	`name` text NOT NULL,
	`position` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `gallery_sets_gallery_idx` ON `gallery_sets` (`tenant_id`,`gallery_id`,`position`);--> statement-breakpoint
CREATE TABLE `photos` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`gallery_id` text NOT NULL,
	`set_id` text,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`width` integer,
	`height` integer,
	`status` text DEFAULT 'uploading' NOT NULL,
	`failure_reason` text,
	`exif` text,
	`position` real DEFAULT 0 NOT NULL,
	`has_master` integer DEFAULT false NOT NULL,
	`master_bytes` integer DEFAULT 0 NOT NULL,
	`original_state` text DEFAULT 'pending' NOT NULL,
	`original_upload_id` text,
	`original_part_size` integer,
	`derivative_bytes` integer DEFAULT 0 NOT NULL,
	`preview_version` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `photos_gallery_position_idx` ON `photos` (`tenant_id`,`gallery_id`,`position`);--> statement-breakpoint
CREATE INDEX `photos_gallery_status_idx` ON `photos` (`tenant_id`,`gallery_id`,`status`);--> statement-breakpoint
CREATE TABLE `upload_parts` (
	`tenant_id` text NOT NULL,
	`photo_id` text NOT NULL,
	`part_number` integer NOT NULL,
	`etag` text NOT NULL,
	`size` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`tenant_id`, `photo_id`, `part_number`)
);
