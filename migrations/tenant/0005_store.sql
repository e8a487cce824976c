CREATE TABLE `carts` (
	`tenant_id` text NOT NULL,
	`gallery_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`lines` text NOT NULL,
	`discount_code` text,
	`shipping_method_id` text,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`tenant_id`, `gallery_id`, `visitor_id`)
);
--> statement-breakpoint
CREATE TABLE `discount_codes` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`value` integer NOT NULL,
	`min_subtotal` integer DEFAULT 0 NOT NULL,
	`max_uses` integer,
	`uses` integer DEFAULT 0 NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discount_codes_code_uq` ON `discount_codes` (`tenant_id`,`code`);--> statement-breakpoint
CREATE TABLE `download_grants` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`order_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`max_downloads` integer NOT NULL,
	`downloads` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `download_grants_order_idx` ON `download_grants` (`tenant_id`,`order_id`);--> statement-breakpoint
CREATE TABLE `email_outbox` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`kind` text NOT NULL,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`sent_at` integer,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `email_outbox_recent_idx` ON `email_outbox` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `email_outbox_status_idx` ON `email_outbox` (`tenant_id`,`status`);--> statement-breakpoint
CREATE TABLE `orders` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`number` integer NOT NULL,
	`gallery_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`customer_name` text NOT NULL,
	`customer_email` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`payment_method` text NOT NULL,
	`currency` text NOT NULL,
	`lines` text NOT NULL,
	`subtotal` integer NOT NULL,
	`discount` integer DEFAULT 0 NOT NULL,
	`shipping` integer DEFAULT 0 NOT NULL,
	`tax` integer DEFAULT 0 NOT NULL,
	`total` integer NOT NULL,
	`refunded` integer DEFAULT 0 NOT NULL,
	`application_fee` integer DEFAULT 0 NOT NULL,
	`discount_code_id` text,
	`discount_code` text,
	`shipping_method` text,
	`shipping_address` text,
	`tracking_number` text,
	`stripe_account_id` text,
	`checkout_session_id` text,
	`payment_intent_id` text,
	`note` text,
	`paid_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_number_uq` ON `orders` (`tenant_id`,`number`);--> statement-breakpoint
CREATE INDEX `orders_recent_idx` ON `orders` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_visitor_idx` ON `orders` (`tenant_id`,`gallery_id`,`visitor_id`);--> statement-breakpoint
CREATE TABLE `price_items` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`sheet_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`size` text,
	`paper` text,
	`variant` text,
	`package_count` integer,
	`unit_amount` integer NOT NULL,
	`position` real DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `price_items_sheet_idx` ON `price_items` (`tenant_id`,`sheet_id`,`position`);--> statement-breakpoint
CREATE TABLE `price_sheets` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`currency` text NOT NULL,
	`tax_rate_bps` integer DEFAULT 0 NOT NULL,
	`stripe_tax` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `shipping_methods` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`sheet_id` text NOT NULL,
	`name` text NOT NULL,
	`amount` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `shipping_methods_sheet_idx` ON `shipping_methods` (`tenant_id`,`sheet_id`);--> statement-breakpoint
ALTER TABLE `galleries` ADD `price_sheet_id` text;