CREATE TABLE `storage_usage` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`used` integer DEFAULT 0 NOT NULL,
	`originals` integer DEFAULT 0 NOT NULL,
	`masters` integer DEFAULT 0 NOT NULL,
	`derivatives` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Written by hand (drizzle-kit does not model triggers): each studio's row stays equal to the
-- sums over its photos that quota.ts used to scan for, `used` being
-- sum(size + max(master_bytes + derivative_bytes, 2097152)), 2097152 being DERIVATIVE_RESERVE.
-- tests/api/storage-usage.test.ts compares the row with those sums.
CREATE TRIGGER `photos_usage_insert` AFTER INSERT ON `photos` BEGIN
	INSERT OR IGNORE INTO `storage_usage` (`tenant_id`) VALUES (NEW.`tenant_id`);
	UPDATE `storage_usage` SET
		`used` = `used` + NEW.`size` + max(NEW.`master_bytes` + NEW.`derivative_bytes`, 2097152),
		`originals` = `originals` + NEW.`size`,
		`masters` = `masters` + NEW.`master_bytes`,
		`derivatives` = `derivatives` + NEW.`derivative_bytes`
	WHERE `tenant_id` = NEW.`tenant_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `photos_usage_update` AFTER UPDATE OF `size`, `master_bytes`, `derivative_bytes` ON `photos` BEGIN
	UPDATE `storage_usage` SET
		`used` = `used` - (OLD.`size` + max(OLD.`master_bytes` + OLD.`derivative_bytes`, 2097152)) + (NEW.`size` + max(NEW.`master_bytes` + NEW.`derivative_bytes`, 2097152)),
		`originals` = `originals` - OLD.`size` + NEW.`size`,
		`masters` = `masters` - OLD.`master_bytes` + NEW.`master_bytes`,
		`derivatives` = `derivatives` - OLD.`derivative_bytes` + NEW.`derivative_bytes`
	WHERE `tenant_id` = NEW.`tenant_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `photos_usage_delete` AFTER DELETE ON `photos` BEGIN
	UPDATE `storage_usage` SET
		`used` = `used` - (OLD.`size` + max(OLD.`master_bytes` + OLD.`derivative_bytes`, 2097152)),
		`originals` = `originals` - OLD.`size`,
		`masters` = `masters` - OLD.`master_bytes`,
		`derivatives` = `derivatives` - OLD.`derivative_bytes`
	WHERE `tenant_id` = OLD.`tenant_id`;
END;
--> statement-breakpoint
INSERT INTO `storage_usage` (`tenant_id`, `used`, `originals`, `masters`, `derivatives`)
	SELECT `tenant_id`, sum(`size` + max(`master_bytes` + `derivative_bytes`, 2097152)), sum(`size`), sum(`master_bytes`), sum(`derivative_bytes`)
	FROM `photos` GROUP BY `tenant_id`;
