using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.SqlServer.Migrations
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
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "ConfirmedDestinationChome",
                table: "PersonVersions",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationCity",
                table: "PersonVersions",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationCountry",
                table: "PersonVersions",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationFreeText",
                table: "PersonVersions",
                type: "nvarchar(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationKatagaki",
                table: "PersonVersions",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationLocalGovernmentCode",
                table: "PersonVersions",
                type: "nvarchar(6)",
                maxLength: 6,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationPostalCode",
                table: "PersonVersions",
                type: "nvarchar(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationPrefecture",
                table: "PersonVersions",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedDestinationTown",
                table: "PersonVersions",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "MoveInNoticeOn",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "MoveOutConfirmedOn",
                table: "PersonVersions",
                type: "date",
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
