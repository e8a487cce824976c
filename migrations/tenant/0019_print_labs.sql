CREATE TABLE `lab_connections` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`lab` text NOT NULL,
	`environment` text NOT NULL,
	`sealed_key` text NOT NULL,
	`key_hint` text NOT NULL,
	`hold_for_review` integer DEFAULT false NOT NULL,
	`tier` text DEFAULT 'standard' NOT NULL,
	`connected_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lab_orders` (
	`tenant_id` text NOT NULL,
	`order_id` text NOT NULL,
	`lab` text NOT NULL,
	`status` text NOT NULL,
	`generation` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lines` text NOT NULL,
	`environment` text,
	`sealed_key` text,
	`lab_order_id` text,
	`lab_stage` text,
	`problem` text,
	`shipments` text DEFAULT '[]' NOT NULL,
	`submitted_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`tenant_id`, `order_id`)
);
--> statement-breakpoint
CREATE INDEX `lab_orders_queued_idx` ON `lab_orders` (`status`,`updated_at`) WHERE status = 'queued';--> statement-breakpoint
CREATE TABLE `lab_products` (
	`tenant_id` text NOT NULL,
	`item_id` text NOT NULL,
	`sku` text NOT NULL,
	`attributes` text NOT NULL,
	`unit_cost` integer NOT NULL,
	`cost_currency` text NOT NULL,
	`min_width_px` integer NOT NULL,
	`min_height_px` integer NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`tenant_id`, `item_id`)
);
