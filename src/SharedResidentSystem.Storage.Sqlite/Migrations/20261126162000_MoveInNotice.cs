using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MoveInNotice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationBanchi",
                table: "PersonVersions",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "ConfirmedDestinationChome",
                table: "PersonVersions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationCity",
                table: "PersonVersions",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationCountry",
                table: "PersonVersions",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationFreeText",
                table: "PersonVersions",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationKatagaki",
                table: "PersonVersions",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationLocalGovernmentCode",
                table: "PersonVersions",
                type: "TEXT",
                maxLength: 6,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationPostalCode",
                table: "PersonVersions",
                type: "TEXT",
                maxLength: 8,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationPrefecture",
                table: "PersonVersions",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationTown",
                table: "PersonVersions",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "MoveInNoticeOn",
                table: "PersonVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "MoveOutConfirmedOn",
                table: "PersonVersions",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ConfirmedDestinationBanchi",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ConfirmedDestinationChome",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ConfirmedDestinationCity",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ConfirmedDestinationCountry",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ConfirmedDestinationFreeText",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ConfirmedDestinationKatagaki",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ConfirmedDestinationLocalGovernmentCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ConfirmedDestinationPostalCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ConfirmedDestinationPrefecture",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ConfirmedDestinationTown",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "MoveInNoticeOn",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "MoveOutConfirmedOn",
                table: "PersonVersions");
        }
    }
}
